--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

--
-- Name: refuse_audit_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refuse_audit_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
  begin
    if tg_op = 'DELETE' and coalesce(current_setting('chorus.audit_retention_sweep', true), '') = 'on' then
      return old;
    end if;
    raise exception 'audit entries cannot be changed (% refused)', tg_op using errcode = 'insufficient_privilege';
  end $$;

--
-- Name: tally_deliveries(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tally_deliveries() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
  declare
    changes jsonb;
  begin
    -- Each branch names only the transition tables its event has.
    if tg_op = 'INSERT' then
      select jsonb_agg(c) into changes from (select campaign_id, network, state, count(*) as n from new_rows group by campaign_id, network, state) c;
    elsif tg_op = 'UPDATE' then
      select jsonb_agg(c) into changes from (
        select campaign_id, network, state, sum(n) as n from (
          select campaign_id, network, state, 1 as n from new_rows
          union all
          select campaign_id, network, state, -1 from old_rows
        ) moved group by campaign_id, network, state having sum(n) <> 0) c;
    else
      -- An ended campaign's counts are its record: erasing its supporters' rows leaves them.
      select jsonb_agg(c) into changes from (
        select o.campaign_id, o.network, o.state, -count(*) as n from old_rows o
        where not exists (select 1 from campaigns c where c.id = o.campaign_id and c.ended_at is not null)
        group by o.campaign_id, o.network, o.state) c;
    end if;
    insert into campaign_delivery_tallies as t (campaign_id, network, state, stripe, deliveries)
    select x.campaign_id, x.network, x.state, (pg_backend_pid() % 16)::smallint, x.n
    from jsonb_to_recordset(coalesce(changes, '[]')) as x(campaign_id uuid, network text, state text, n integer)
    where exists (select 1 from campaigns c where c.id = x.campaign_id)
    order by x.campaign_id, x.network, x.state
    on conflict (campaign_id, network, state, stripe) do update set deliveries = t.deliveries + excluded.deliveries;
    return null;
  end $$;

--
-- Name: tally_pledges(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tally_pledges() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    declare
      changes jsonb;
    begin
      if tg_op = 'INSERT' then
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network, count(*) as supporters, sum(n.followers) as reach
          from new_rows n join social_accounts a on a.id = n.social_account_id
          where n.state = 'active'
          group by n.campaign_id, a.network) c;
      else
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network,
                 sum((n.state = 'active')::int - (o.state = 'active')::int) as supporters,
                 sum((case when n.state = 'active' then n.followers else 0 end) - (case when o.state = 'active' then o.followers else 0 end)) as reach
          from new_rows n join old_rows o on o.id = n.id join social_accounts a on a.id = n.social_account_id
          group by n.campaign_id, a.network) c;
      end if;
      with c as (
        select * from jsonb_to_recordset(changes) as x(campaign_id uuid, network text, supporters integer, reach bigint)
        where supporters <> 0 or reach <> 0
      ), totals as (
        insert into campaign_network_tallies as t (campaign_id, network, stripe, supporters, reach)
        select campaign_id, network, (pg_backend_pid() % 16)::smallint, supporters, reach from c
        on conflict (campaign_id, network, stripe)
        do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach
      )
      insert into campaign_minutes as m (campaign_id, network, minute, stripe, supporters, reach)
      select campaign_id, network, date_trunc('minute', now()), (pg_backend_pid() % 16)::smallint, supporters, reach from c
      on conflict (campaign_id, network, minute, stripe)
      do update set supporters = m.supporters + excluded.supporters, reach = m.reach + excluded.reach;
      return null;
    end $$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: audit_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entries (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    organisation_id uuid,
    actor_organiser_id uuid,
    action text NOT NULL,
    campaign_id uuid,
    subject_id text,
    changes jsonb DEFAULT '{}'::jsonb NOT NULL,
    client_ip text,
    CONSTRAINT audit_entries_action_check CHECK ((action ~ '^[a-z]+(\.[a-z-]+)+$'::text)),
    CONSTRAINT audit_entries_changes_check CHECK (((jsonb_typeof(changes) = 'object'::text) AND (length((changes)::text) <= 4000))),
    CONSTRAINT audit_entries_client_ip_check CHECK ((length(client_ip) <= 100)),
    CONSTRAINT audit_entries_subject_id_check CHECK ((length(subject_id) <= 100))
);

--
-- Name: audit_entries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_entries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: bluesky_oauth_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bluesky_oauth_states (
    key text NOT NULL,
    key_id text NOT NULL,
    value bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: campaign_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_accounts (
    campaign_id uuid NOT NULL,
    network text NOT NULL,
    network_user_id text NOT NULL,
    handle text NOT NULL,
    key_id text,
    access_token bytea,
    refresh_token bytea,
    access_expires_at timestamp with time zone,
    scopes text,
    post_state text DEFAULT 'none'::text NOT NULL,
    post_id text,
    post_failure text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    post_claimed_at timestamp with time zone,
    post_attempts integer DEFAULT 0 NOT NULL,
    CONSTRAINT campaign_accounts_network_check CHECK ((network = 'x'::text)),
    CONSTRAINT campaign_accounts_post_state_check CHECK ((post_state = ANY (ARRAY['none'::text, 'sent'::text, 'failed'::text]))),
    CONSTRAINT campaign_accounts_sent_has_post_id CHECK (((post_state <> 'sent'::text) OR (post_id IS NOT NULL)))
);

--
-- Name: campaign_delivery_tallies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_delivery_tallies (
    campaign_id uuid NOT NULL,
    network text NOT NULL,
    state text NOT NULL,
    stripe smallint NOT NULL,
    deliveries integer NOT NULL
);

--
-- Name: campaign_images; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_images (
    campaign_id uuid NOT NULL,
    sha256 text NOT NULL,
    content_type text NOT NULL,
    byte_length integer NOT NULL,
    bytes bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT campaign_images_byte_length_check CHECK ((byte_length > 0)),
    CONSTRAINT campaign_images_byte_length_matches CHECK ((byte_length = octet_length(bytes))),
    CONSTRAINT campaign_images_content_type_check CHECK ((content_type = ANY (ARRAY['image/png'::text, 'image/jpeg'::text, 'image/webp'::text]))),
    CONSTRAINT campaign_images_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);
ALTER TABLE ONLY public.campaign_images ALTER COLUMN bytes SET STORAGE EXTERNAL;

--
-- Name: campaign_minutes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_minutes (
    campaign_id uuid NOT NULL,
    network text NOT NULL,
    minute timestamp with time zone NOT NULL,
    supporters integer DEFAULT 0 NOT NULL,
    reach bigint DEFAULT 0 NOT NULL,
    stripe smallint DEFAULT 0 NOT NULL
);

--
-- Name: campaign_network_tallies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_network_tallies (
    campaign_id uuid NOT NULL,
    network text NOT NULL,
    supporters integer DEFAULT 0 NOT NULL,
    reach bigint DEFAULT 0 NOT NULL,
    stripe smallint DEFAULT 0 NOT NULL
);

--
-- Name: campaign_reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_reports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid NOT NULL,
    reason text NOT NULL,
    contact text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    closed_at timestamp with time zone,
    closed_by uuid
);

--
-- Name: campaign_share_images; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_share_images (
    campaign_id uuid NOT NULL,
    figures_key text NOT NULL,
    png bytea NOT NULL,
    rendered_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT campaign_share_images_figures_key_check CHECK ((figures_key ~ '^[0-9a-f]{64}$'::text))
);
ALTER TABLE ONLY public.campaign_share_images ALTER COLUMN png SET STORAGE EXTERNAL;

--
-- Name: campaign_updates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign_updates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT campaign_updates_body_check CHECK (((length(body) >= 1) AND (length(body) <= 5000)))
);

--
-- Name: campaigns; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaigns (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organiser_id uuid,
    slug text NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    link text NOT NULL,
    message text NOT NULL,
    variants text[] DEFAULT '{}'::text[] NOT NULL,
    goal integer NOT NULL,
    launch_at timestamp with time zone NOT NULL,
    time_zone text NOT NULL,
    networks text[] NOT NULL,
    state text DEFAULT 'draft'::text NOT NULL,
    release_cursor uuid,
    release_enqueued_at timestamp with time zone,
    launch_started_at timestamp with time zone,
    ended_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    image_file text,
    image_alt text DEFAULT ''::text NOT NULL,
    x_mode text DEFAULT 'post'::text NOT NULL,
    supporters_erased_at timestamp with time zone,
    review_note text,
    suspended_from text,
    suspended_with_organiser boolean DEFAULT false NOT NULL,
    listed boolean DEFAULT false NOT NULL,
    organisation_id uuid NOT NULL,
    suspended_with_organisation boolean DEFAULT false NOT NULL,
    CONSTRAINT campaigns_goal_check CHECK ((goal > 0)),
    CONSTRAINT campaigns_networks_check CHECK (((cardinality(networks) > 0) AND (networks <@ ARRAY['x'::text, 'mastodon'::text, 'bluesky'::text, 'linkedin'::text]))),
    CONSTRAINT campaigns_slug_check CHECK ((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text)),
    CONSTRAINT campaigns_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'in_review'::text, 'collecting'::text, 'suspended'::text, 'launching'::text, 'launched'::text, 'missed_goal'::text, 'cancelled'::text]))),
    CONSTRAINT campaigns_suspended_from_check CHECK ((suspended_from = ANY (ARRAY['draft'::text, 'in_review'::text, 'collecting'::text]))),
    CONSTRAINT campaigns_suspended_has_origin CHECK (((state = 'suspended'::text) = (suspended_from IS NOT NULL))),
    CONSTRAINT campaigns_variants_check CHECK ((cardinality(variants) <= 10)),
    CONSTRAINT campaigns_x_mode_check CHECK ((x_mode = ANY (ARRAY['post'::text, 'repost'::text])))
);

--
-- Name: deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deliveries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pledge_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    state text DEFAULT 'queued'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    claimed_at timestamp with time zone,
    network_post_id text,
    failure_reason text,
    sent_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    claim_id uuid,
    lease_expires_at timestamp with time zone,
    must_check boolean DEFAULT false NOT NULL,
    next_attempt_at timestamp with time zone,
    retry_deadline timestamp with time zone,
    network text NOT NULL,
    CONSTRAINT deliveries_claimed_has_lease CHECK (((state <> 'claimed'::text) OR ((claim_id IS NOT NULL) AND (lease_expires_at IS NOT NULL)))),
    CONSTRAINT deliveries_failed_has_reason CHECK (((state <> 'failed'::text) OR (failure_reason IS NOT NULL))),
    CONSTRAINT deliveries_sent_has_post_id CHECK (((state <> 'sent'::text) OR (network_post_id IS NOT NULL))),
    CONSTRAINT deliveries_state_check CHECK ((state = ANY (ARRAY['queued'::text, 'held'::text, 'claimed'::text, 'unknown'::text, 'sent'::text, 'failed'::text])))
)
WITH (fillfactor='40');

--
-- Name: instance_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.instance_settings (
    id boolean DEFAULT true NOT NULL,
    sign_up_mode text,
    campaign_review boolean,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    contact_email text,
    CONSTRAINT instance_settings_contact_email_check CHECK (((contact_email IS NULL) OR ((length(contact_email) <= 254) AND (contact_email ~~ '%_@_%'::text)))),
    CONSTRAINT instance_settings_id_check CHECK (id),
    CONSTRAINT instance_settings_sign_up_mode_check CHECK ((sign_up_mode = ANY (ARRAY['open'::text, 'approval'::text, 'invitation'::text])))
);

--
-- Name: invitations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invitations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    token_hash text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    used_by uuid
);

--
-- Name: kysely_migration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kysely_migration (
    name character varying(255) NOT NULL,
    "timestamp" character varying(255) NOT NULL
);

--
-- Name: kysely_migration_lock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kysely_migration_lock (
    id character varying(255) NOT NULL,
    is_locked integer DEFAULT 0 NOT NULL
);

--
-- Name: mail_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mail_outbox (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    recipient text NOT NULL,
    dedupe_key text NOT NULL,
    template_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    organiser_id uuid,
    campaign_id uuid,
    pledge_id uuid,
    state text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    failure_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    failed_at timestamp with time zone,
    CONSTRAINT mail_outbox_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT mail_outbox_dedupe_key_check CHECK ((length(dedupe_key) <= 200)),
    CONSTRAINT mail_outbox_failed_has_reason CHECK (((state <> 'failed'::text) OR ((failure_reason IS NOT NULL) AND (failed_at IS NOT NULL)))),
    CONSTRAINT mail_outbox_kind_check CHECK ((kind ~ '^[a-z][a-z0-9-]{0,63}$'::text)),
    CONSTRAINT mail_outbox_recipient_check CHECK (((length(recipient) >= 3) AND (length(recipient) <= 320))),
    CONSTRAINT mail_outbox_sent_has_time CHECK (((state <> 'sent'::text) OR (sent_at IS NOT NULL))),
    CONSTRAINT mail_outbox_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text])))
);

--
-- Name: mastodon_apps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mastodon_apps (
    origin text NOT NULL,
    redirect_uri text NOT NULL,
    client_id text NOT NULL,
    key_id text NOT NULL,
    client_secret bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: network_holds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.network_holds (
    network text NOT NULL,
    cause text NOT NULL,
    reason text NOT NULL,
    since timestamp with time zone DEFAULT now() NOT NULL,
    next_probe_at timestamp with time zone NOT NULL,
    probes integer DEFAULT 0 NOT NULL,
    probe_delivery_id uuid,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT network_holds_cause_check CHECK ((cause = ANY (ARRAY['out-of-credits'::text, 'app-daily-cap'::text]))),
    CONSTRAINT network_holds_probes_check CHECK ((probes >= 0))
);

--
-- Name: operator_sign_in_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operator_sign_in_links (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organiser_id uuid NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);

--
-- Name: organisation_invitations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisation_invitations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organisation_id uuid NOT NULL,
    role text NOT NULL,
    token_hash text NOT NULL,
    invited_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT organisation_invitations_check CHECK ((expires_at > created_at)),
    CONSTRAINT organisation_invitations_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'editor'::text, 'viewer'::text]))),
    CONSTRAINT organisation_invitations_token_hash_check CHECK ((token_hash ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: organisation_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisation_members (
    organisation_id uuid NOT NULL,
    organiser_id uuid NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organisation_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'editor'::text, 'viewer'::text])))
);

--
-- Name: organisations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    trusted boolean DEFAULT false NOT NULL,
    standing text DEFAULT 'active'::text NOT NULL,
    suspended_at timestamp with time zone,
    suspended_by uuid,
    suspension_reason text,
    deleting_since timestamp with time zone,
    CONSTRAINT organisations_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT organisations_standing_check CHECK ((standing = ANY (ARRAY['active'::text, 'suspended'::text]))),
    CONSTRAINT organisations_suspension_has_time CHECK (((standing = 'suspended'::text) = (suspended_at IS NOT NULL))),
    CONSTRAINT organisations_suspension_reason_check CHECK ((length(suspension_reason) <= 2000))
);

--
-- Name: organiser_api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_api_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organiser_id uuid NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    expires_at timestamp with time zone
);

--
-- Name: organiser_mail_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_mail_events (
    event text NOT NULL,
    campaign_id uuid NOT NULL,
    written_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organiser_mail_events_event_check CHECK ((length(event) <= 160))
);

--
-- Name: organiser_mail_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_mail_settings (
    organiser_id uuid NOT NULL,
    kind text NOT NULL,
    enabled boolean NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organiser_mail_settings_kind_check CHECK ((kind ~ '^[a-z][a-z0-9-]{0,63}$'::text))
);

--
-- Name: organiser_recovery_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_recovery_codes (
    organiser_id uuid NOT NULL,
    code_hash text NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT organiser_recovery_codes_code_hash_check CHECK ((code_hash ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: organiser_second_factors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_second_factors (
    organiser_id uuid NOT NULL,
    key_id text NOT NULL,
    secret bytea NOT NULL,
    confirmed_at timestamp with time zone,
    last_used_step bigint,
    failed_attempts integer DEFAULT 0 NOT NULL,
    last_failed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organiser_second_factors_failed_attempts_check CHECK ((failed_attempts >= 0))
);

--
-- Name: organiser_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organiser_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    token_hash text NOT NULL,
    organiser_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    user_agent text NOT NULL,
    ip_prefix text,
    CONSTRAINT organiser_sessions_expire_after_creation CHECK ((expires_at > created_at)),
    CONSTRAINT organiser_sessions_ip_prefix_check CHECK ((length(ip_prefix) <= 50)),
    CONSTRAINT organiser_sessions_token_hash_check CHECK ((token_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT organiser_sessions_user_agent_check CHECK ((length(user_agent) <= 100))
);

--
-- Name: organisers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email public.citext NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    role text DEFAULT 'organiser'::text NOT NULL,
    standing text DEFAULT 'active'::text NOT NULL,
    CONSTRAINT organisers_role_check CHECK ((role = ANY (ARRAY['organiser'::text, 'operator'::text]))),
    CONSTRAINT organisers_standing_check CHECK ((standing = ANY (ARRAY['awaiting_approval'::text, 'active'::text, 'suspended'::text])))
);

--
-- Name: pending_pledges; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pending_pledges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid NOT NULL,
    network text NOT NULL,
    variant_index integer,
    network_user_id text NOT NULL,
    handle text NOT NULL,
    display_name text NOT NULL,
    followers integer NOT NULL,
    server text,
    key_id text NOT NULL,
    access_token bytea NOT NULL,
    refresh_token bytea,
    access_expires_at timestamp with time zone NOT NULL,
    scopes text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pending_pledges_followers_check CHECK ((followers >= 0)),
    CONSTRAINT pending_pledges_network_check CHECK ((network = ANY (ARRAY['x'::text, 'mastodon'::text, 'bluesky'::text, 'linkedin'::text]))),
    CONSTRAINT pending_pledges_variant_index_check CHECK (((variant_index >= 0) AND (variant_index <= 10)))
);

--
-- Name: pledge_credentials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pledge_credentials (
    pledge_id uuid NOT NULL,
    key_id text NOT NULL,
    access_token bytea NOT NULL,
    refresh_token bytea,
    access_expires_at timestamp with time zone NOT NULL,
    scopes text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: pledges; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pledges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid NOT NULL,
    social_account_id uuid NOT NULL,
    text text NOT NULL,
    variant_index integer,
    followers integer NOT NULL,
    state text DEFAULT 'active'::text NOT NULL,
    manage_token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    withdrawn_at timestamp with time zone,
    shown_publicly boolean DEFAULT false NOT NULL,
    access_refused_reason text,
    CONSTRAINT pledges_access_refused_reason_check CHECK ((length(access_refused_reason) <= 500)),
    CONSTRAINT pledges_followers_check CHECK ((followers >= 0)),
    CONSTRAINT pledges_state_check CHECK ((state = ANY (ARRAY['active'::text, 'withdrawn'::text]))),
    CONSTRAINT pledges_variant_index_check CHECK (((variant_index >= 0) AND (variant_index <= 10)))
);

--
-- Name: post_budget_spends; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.post_budget_spends (
    network text NOT NULL,
    bucket_start timestamp with time zone NOT NULL,
    spent integer NOT NULL,
    CONSTRAINT post_budget_spends_spent_check CHECK ((spent >= 0))
);

--
-- Name: short_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.short_links (
    code text NOT NULL,
    campaign_id uuid NOT NULL,
    visits bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT short_links_code_check CHECK ((code ~ '^[A-Za-z0-9]{6}$'::text))
);

--
-- Name: social_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.social_accounts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    network text NOT NULL,
    network_user_id text NOT NULL,
    handle text NOT NULL,
    display_name text NOT NULL,
    followers integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    server text,
    CONSTRAINT social_accounts_followers_check CHECK ((followers >= 0)),
    CONSTRAINT social_accounts_network_check CHECK ((network = ANY (ARRAY['x'::text, 'mastodon'::text, 'bluesky'::text, 'linkedin'::text])))
);

--
-- Name: suggested_posts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.suggested_posts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT suggested_posts_body_check CHECK (((char_length(body) >= 1) AND (char_length(body) <= 1000)))
);

--
-- Name: supporter_mail_addresses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.supporter_mail_addresses (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pledge_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    address text NOT NULL,
    follows_updates boolean DEFAULT false NOT NULL,
    state text DEFAULT 'unconfirmed'::text NOT NULL,
    sealed_manage_token bytea,
    key_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    confirmed_at timestamp with time zone,
    outcome_mailed_at timestamp with time zone,
    reminder_mailed_at timestamp with time zone,
    updates_mailed_through timestamp with time zone,
    CONSTRAINT supporter_mail_addresses_address_check CHECK (((length(address) >= 3) AND (length(address) <= 254))),
    CONSTRAINT supporter_mail_addresses_confirmed_has_time CHECK (((state <> 'confirmed'::text) OR (confirmed_at IS NOT NULL))),
    CONSTRAINT supporter_mail_addresses_sealed_has_key CHECK (((sealed_manage_token IS NULL) = (key_id IS NULL))),
    CONSTRAINT supporter_mail_addresses_state_check CHECK ((state = ANY (ARRAY['unconfirmed'::text, 'confirmed'::text])))
);

--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    endpoint_id uuid NOT NULL,
    state text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    enqueued_at timestamp with time zone,
    claimed_until timestamp with time zone,
    last_attempt_at timestamp with time zone,
    last_status integer,
    last_error text,
    response_excerpt text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT webhook_deliveries_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT webhook_deliveries_check CHECK (((state = 'pending'::text) = (finished_at IS NULL))),
    CONSTRAINT webhook_deliveries_last_error_check CHECK ((length(last_error) <= 500)),
    CONSTRAINT webhook_deliveries_response_excerpt_check CHECK ((length(response_excerpt) <= 500)),
    CONSTRAINT webhook_deliveries_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text])))
);

--
-- Name: webhook_endpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_endpoints (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_by uuid,
    url text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    events text[] NOT NULL,
    key_id text NOT NULL,
    secret bytea NOT NULL,
    previous_key_id text,
    previous_secret bytea,
    previous_secret_expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    organisation_id uuid NOT NULL,
    CONSTRAINT webhook_endpoints_check CHECK ((((previous_secret IS NULL) = (previous_secret_expires_at IS NULL)) AND ((previous_secret IS NULL) = (previous_key_id IS NULL)))),
    CONSTRAINT webhook_endpoints_description_check CHECK ((length(description) <= 200)),
    CONSTRAINT webhook_endpoints_events_check CHECK (((cardinality(events) >= 1) AND (cardinality(events) <= 20))),
    CONSTRAINT webhook_endpoints_url_check CHECK (((length(url) >= 1) AND (length(url) <= 2000)))
);

--
-- Name: webhook_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    campaign_id uuid,
    type text NOT NULL,
    dedupe_key text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    organisation_id uuid NOT NULL,
    CONSTRAINT webhook_events_type_check CHECK (((length(type) >= 1) AND (length(type) <= 64)))
);

--
-- Name: audit_entries audit_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entries
    ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id);

--
-- Name: bluesky_oauth_states bluesky_oauth_states_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bluesky_oauth_states
    ADD CONSTRAINT bluesky_oauth_states_pkey PRIMARY KEY (key);

--
-- Name: campaign_accounts campaign_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_accounts
    ADD CONSTRAINT campaign_accounts_pkey PRIMARY KEY (campaign_id);

--
-- Name: campaign_delivery_tallies campaign_delivery_tallies_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_delivery_tallies
    ADD CONSTRAINT campaign_delivery_tallies_pk PRIMARY KEY (campaign_id, network, state, stripe);

--
-- Name: campaign_images campaign_images_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_images
    ADD CONSTRAINT campaign_images_pkey PRIMARY KEY (campaign_id);

--
-- Name: campaign_minutes campaign_minutes_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_minutes
    ADD CONSTRAINT campaign_minutes_pk PRIMARY KEY (campaign_id, network, minute, stripe);

--
-- Name: campaign_network_tallies campaign_network_tallies_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_network_tallies
    ADD CONSTRAINT campaign_network_tallies_pk PRIMARY KEY (campaign_id, network, stripe);

--
-- Name: campaign_reports campaign_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_reports
    ADD CONSTRAINT campaign_reports_pkey PRIMARY KEY (id);

--
-- Name: campaign_share_images campaign_share_images_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_share_images
    ADD CONSTRAINT campaign_share_images_pkey PRIMARY KEY (campaign_id);

--
-- Name: campaign_updates campaign_updates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_updates
    ADD CONSTRAINT campaign_updates_pkey PRIMARY KEY (id);

--
-- Name: campaigns campaigns_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_pkey PRIMARY KEY (id);

--
-- Name: campaigns campaigns_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_slug_key UNIQUE (slug);

--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id);

--
-- Name: deliveries deliveries_pledge_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pledge_id_key UNIQUE (pledge_id);

--
-- Name: instance_settings instance_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instance_settings
    ADD CONSTRAINT instance_settings_pkey PRIMARY KEY (id);

--
-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_pkey PRIMARY KEY (id);

--
-- Name: invitations invitations_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_token_hash_key UNIQUE (token_hash);

--
-- Name: kysely_migration_lock kysely_migration_lock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kysely_migration_lock
    ADD CONSTRAINT kysely_migration_lock_pkey PRIMARY KEY (id);

--
-- Name: kysely_migration kysely_migration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kysely_migration
    ADD CONSTRAINT kysely_migration_pkey PRIMARY KEY (name);

--
-- Name: mail_outbox mail_outbox_dedupe_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_dedupe_key_key UNIQUE (dedupe_key);

--
-- Name: mail_outbox mail_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_pkey PRIMARY KEY (id);

--
-- Name: mastodon_apps mastodon_apps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mastodon_apps
    ADD CONSTRAINT mastodon_apps_pkey PRIMARY KEY (origin);

--
-- Name: network_holds network_holds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.network_holds
    ADD CONSTRAINT network_holds_pkey PRIMARY KEY (network);

--
-- Name: operator_sign_in_links operator_sign_in_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_sign_in_links
    ADD CONSTRAINT operator_sign_in_links_pkey PRIMARY KEY (id);

--
-- Name: operator_sign_in_links operator_sign_in_links_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_sign_in_links
    ADD CONSTRAINT operator_sign_in_links_token_hash_key UNIQUE (token_hash);

--
-- Name: organisation_invitations organisation_invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_invitations
    ADD CONSTRAINT organisation_invitations_pkey PRIMARY KEY (id);

--
-- Name: organisation_invitations organisation_invitations_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_invitations
    ADD CONSTRAINT organisation_invitations_token_hash_key UNIQUE (token_hash);

--
-- Name: organisation_members organisation_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_members
    ADD CONSTRAINT organisation_members_pkey PRIMARY KEY (organisation_id, organiser_id);

--
-- Name: organisations organisations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (id);

--
-- Name: organiser_api_tokens organiser_api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_api_tokens
    ADD CONSTRAINT organiser_api_tokens_pkey PRIMARY KEY (id);

--
-- Name: organiser_api_tokens organiser_api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_api_tokens
    ADD CONSTRAINT organiser_api_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: organiser_mail_events organiser_mail_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_mail_events
    ADD CONSTRAINT organiser_mail_events_pkey PRIMARY KEY (event);

--
-- Name: organiser_mail_settings organiser_mail_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_mail_settings
    ADD CONSTRAINT organiser_mail_settings_pkey PRIMARY KEY (organiser_id, kind);

--
-- Name: organiser_recovery_codes organiser_recovery_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_recovery_codes
    ADD CONSTRAINT organiser_recovery_codes_pkey PRIMARY KEY (organiser_id, code_hash);

--
-- Name: organiser_second_factors organiser_second_factors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_second_factors
    ADD CONSTRAINT organiser_second_factors_pkey PRIMARY KEY (organiser_id);

--
-- Name: organiser_sessions organiser_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_sessions
    ADD CONSTRAINT organiser_sessions_pkey PRIMARY KEY (id);

--
-- Name: organiser_sessions organiser_sessions_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_sessions
    ADD CONSTRAINT organiser_sessions_token_hash_key UNIQUE (token_hash);

--
-- Name: organisers organisers_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisers
    ADD CONSTRAINT organisers_email_key UNIQUE (email);

--
-- Name: organisers organisers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisers
    ADD CONSTRAINT organisers_pkey PRIMARY KEY (id);

--
-- Name: pending_pledges pending_pledges_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pending_pledges
    ADD CONSTRAINT pending_pledges_pkey PRIMARY KEY (id);

--
-- Name: pledge_credentials pledge_credentials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledge_credentials
    ADD CONSTRAINT pledge_credentials_pkey PRIMARY KEY (pledge_id);

--
-- Name: pledges pledges_manage_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledges
    ADD CONSTRAINT pledges_manage_token_hash_key UNIQUE (manage_token_hash);

--
-- Name: pledges pledges_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledges
    ADD CONSTRAINT pledges_pkey PRIMARY KEY (id);

--
-- Name: post_budget_spends post_budget_spends_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_budget_spends
    ADD CONSTRAINT post_budget_spends_pk PRIMARY KEY (network, bucket_start);

--
-- Name: short_links short_links_campaign_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.short_links
    ADD CONSTRAINT short_links_campaign_id_key UNIQUE (campaign_id);

--
-- Name: short_links short_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.short_links
    ADD CONSTRAINT short_links_pkey PRIMARY KEY (code);

--
-- Name: social_accounts social_accounts_network_user_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.social_accounts
    ADD CONSTRAINT social_accounts_network_user_unique UNIQUE (network, network_user_id);

--
-- Name: social_accounts social_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.social_accounts
    ADD CONSTRAINT social_accounts_pkey PRIMARY KEY (id);

--
-- Name: suggested_posts suggested_posts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.suggested_posts
    ADD CONSTRAINT suggested_posts_pkey PRIMARY KEY (id);

--
-- Name: supporter_mail_addresses supporter_mail_addresses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supporter_mail_addresses
    ADD CONSTRAINT supporter_mail_addresses_pkey PRIMARY KEY (id);

--
-- Name: supporter_mail_addresses supporter_mail_addresses_pledge_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supporter_mail_addresses
    ADD CONSTRAINT supporter_mail_addresses_pledge_id_key UNIQUE (pledge_id);

--
-- Name: webhook_deliveries webhook_deliveries_event_id_endpoint_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_event_id_endpoint_id_key UNIQUE (event_id, endpoint_id);

--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);

--
-- Name: webhook_endpoints webhook_endpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id);

--
-- Name: webhook_events webhook_events_dedupe_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_events
    ADD CONSTRAINT webhook_events_dedupe_key_key UNIQUE (dedupe_key);

--
-- Name: webhook_events webhook_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_events
    ADD CONSTRAINT webhook_events_pkey PRIMARY KEY (id);

--
-- Name: audit_entries_action_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_action_idx ON public.audit_entries USING btree (action, id DESC);

--
-- Name: audit_entries_actor_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_actor_idx ON public.audit_entries USING btree (actor_organiser_id, id DESC);

--
-- Name: audit_entries_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_at_idx ON public.audit_entries USING btree (at);

--
-- Name: audit_entries_organisation_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_organisation_idx ON public.audit_entries USING btree (organisation_id, id DESC);

--
-- Name: bluesky_oauth_states_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bluesky_oauth_states_created_at_idx ON public.bluesky_oauth_states USING btree (created_at);

--
-- Name: campaign_images_sha256_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaign_images_sha256_idx ON public.campaign_images USING btree (sha256);

--
-- Name: campaign_reports_contact_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaign_reports_contact_idx ON public.campaign_reports USING btree (closed_at) WHERE ((contact IS NOT NULL) AND (closed_at IS NOT NULL));

--
-- Name: campaign_reports_open_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaign_reports_open_idx ON public.campaign_reports USING btree (created_at) WHERE (closed_at IS NULL);

--
-- Name: campaign_updates_campaign_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaign_updates_campaign_idx ON public.campaign_updates USING btree (campaign_id, created_at);

--
-- Name: campaigns_awaiting_erasure_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_awaiting_erasure_idx ON public.campaigns USING btree (ended_at) WHERE ((ended_at IS NOT NULL) AND (supporters_erased_at IS NULL));

--
-- Name: campaigns_by_state_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_by_state_idx ON public.campaigns USING btree (state, launch_at);

--
-- Name: campaigns_listed_live_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_listed_live_idx ON public.campaigns USING btree (launch_at, id) WHERE (listed AND (state = ANY (ARRAY['collecting'::text, 'launching'::text])));

--
-- Name: campaigns_organisation_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_organisation_idx ON public.campaigns USING btree (organisation_id, launch_at);

--
-- Name: campaigns_organiser_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_organiser_idx ON public.campaigns USING btree (organiser_id);

--
-- Name: campaigns_scheduled_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_scheduled_idx ON public.campaigns USING btree (state, launch_at);

--
-- Name: deliveries_campaign_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deliveries_campaign_id_idx ON public.deliveries USING btree (campaign_id, id);

--
-- Name: mail_outbox_campaign_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mail_outbox_campaign_idx ON public.mail_outbox USING btree (campaign_id);

--
-- Name: mail_outbox_finished_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mail_outbox_finished_idx ON public.mail_outbox USING btree (COALESCE(sent_at, failed_at)) WHERE (state <> 'pending'::text);

--
-- Name: mail_outbox_organiser_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mail_outbox_organiser_idx ON public.mail_outbox USING btree (organiser_id);

--
-- Name: mail_outbox_pending_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mail_outbox_pending_idx ON public.mail_outbox USING btree (created_at) WHERE (state = 'pending'::text);

--
-- Name: mail_outbox_pledge_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mail_outbox_pledge_idx ON public.mail_outbox USING btree (pledge_id) WHERE (pledge_id IS NOT NULL);

--
-- Name: organisation_invitations_organisation_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisation_invitations_organisation_idx ON public.organisation_invitations USING btree (organisation_id);

--
-- Name: organisation_members_organiser_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisation_members_organiser_idx ON public.organisation_members USING btree (organiser_id);

--
-- Name: organisations_deleting_since_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisations_deleting_since_idx ON public.organisations USING btree (deleting_since) WHERE (deleting_since IS NOT NULL);

--
-- Name: organisations_suspended_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisations_suspended_idx ON public.organisations USING btree (suspended_at) WHERE (standing = 'suspended'::text);

--
-- Name: organiser_api_tokens_organiser_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organiser_api_tokens_organiser_idx ON public.organiser_api_tokens USING btree (organiser_id);

--
-- Name: organiser_mail_events_campaign_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organiser_mail_events_campaign_idx ON public.organiser_mail_events USING btree (campaign_id);

--
-- Name: organiser_sessions_organiser_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organiser_sessions_organiser_idx ON public.organiser_sessions USING btree (organiser_id);

--
-- Name: organisers_awaiting_approval_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisers_awaiting_approval_idx ON public.organisers USING btree (created_at) WHERE (standing = 'awaiting_approval'::text);

--
-- Name: pending_pledges_account_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pending_pledges_account_idx ON public.pending_pledges USING btree (campaign_id, network, network_user_id);

--
-- Name: pending_pledges_expires_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pending_pledges_expires_idx ON public.pending_pledges USING btree (expires_at);

--
-- Name: pledges_one_active_per_account; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX pledges_one_active_per_account ON public.pledges USING btree (campaign_id, social_account_id) WHERE (state = 'active'::text);

--
-- Name: pledges_public_recent_supporters; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_public_recent_supporters ON public.pledges USING btree (campaign_id, created_at DESC, id DESC) WHERE ((state = 'active'::text) AND shown_publicly);

--
-- Name: pledges_public_top_supporters; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_public_top_supporters ON public.pledges USING btree (campaign_id, followers DESC, id) WHERE ((state = 'active'::text) AND shown_publicly);

--
-- Name: pledges_recent_supporters; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_recent_supporters ON public.pledges USING btree (campaign_id, created_at DESC, id DESC) WHERE (state = 'active'::text);

--
-- Name: pledges_release_page; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_release_page ON public.pledges USING btree (campaign_id, id) WHERE (state = 'active'::text);

--
-- Name: pledges_social_account_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_social_account_idx ON public.pledges USING btree (social_account_id);

--
-- Name: pledges_top_supporters; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pledges_top_supporters ON public.pledges USING btree (campaign_id, followers DESC, id) WHERE (state = 'active'::text);

--
-- Name: suggested_posts_campaign_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX suggested_posts_campaign_idx ON public.suggested_posts USING btree (campaign_id, created_at, id);

--
-- Name: supporter_mail_addresses_followers_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX supporter_mail_addresses_followers_idx ON public.supporter_mail_addresses USING btree (campaign_id, updates_mailed_through) WHERE ((state = 'confirmed'::text) AND follows_updates);

--
-- Name: supporter_mail_addresses_outcome_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX supporter_mail_addresses_outcome_due_idx ON public.supporter_mail_addresses USING btree (campaign_id) WHERE ((state = 'confirmed'::text) AND (outcome_mailed_at IS NULL));

--
-- Name: supporter_mail_addresses_unconfirmed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX supporter_mail_addresses_unconfirmed_idx ON public.supporter_mail_addresses USING btree (created_at) WHERE (state = 'unconfirmed'::text);

--
-- Name: webhook_deliveries_endpoint_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_endpoint_idx ON public.webhook_deliveries USING btree (endpoint_id, created_at DESC, id DESC);

--
-- Name: webhook_deliveries_pending_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_pending_idx ON public.webhook_deliveries USING btree (next_attempt_at) WHERE (state = 'pending'::text);

--
-- Name: webhook_endpoints_organisation_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_endpoints_organisation_idx ON public.webhook_endpoints USING btree (organisation_id);

--
-- Name: webhook_events_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_events_created_idx ON public.webhook_events USING btree (created_at);

--
-- Name: audit_entries audit_entries_refuse_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_entries_refuse_truncate BEFORE TRUNCATE ON public.audit_entries FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_audit_change();

--
-- Name: audit_entries audit_entries_refuse_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_entries_refuse_update BEFORE DELETE OR UPDATE ON public.audit_entries FOR EACH ROW EXECUTE FUNCTION public.refuse_audit_change();

--
-- Name: deliveries deliveries_tally_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deliveries_tally_deleted AFTER DELETE ON public.deliveries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tally_deliveries();

--
-- Name: deliveries deliveries_tally_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deliveries_tally_inserted AFTER INSERT ON public.deliveries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tally_deliveries();

--
-- Name: deliveries deliveries_tally_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deliveries_tally_updated AFTER UPDATE ON public.deliveries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tally_deliveries();

--
-- Name: pledges pledges_tally_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pledges_tally_inserted AFTER INSERT ON public.pledges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tally_pledges();

--
-- Name: pledges pledges_tally_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pledges_tally_updated AFTER UPDATE ON public.pledges REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tally_pledges();

--
-- Name: campaign_accounts campaign_accounts_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_accounts
    ADD CONSTRAINT campaign_accounts_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_delivery_tallies campaign_delivery_tallies_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_delivery_tallies
    ADD CONSTRAINT campaign_delivery_tallies_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_images campaign_images_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_images
    ADD CONSTRAINT campaign_images_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_minutes campaign_minutes_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_minutes
    ADD CONSTRAINT campaign_minutes_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_network_tallies campaign_network_tallies_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_network_tallies
    ADD CONSTRAINT campaign_network_tallies_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_reports campaign_reports_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_reports
    ADD CONSTRAINT campaign_reports_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_reports campaign_reports_closed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_reports
    ADD CONSTRAINT campaign_reports_closed_by_fkey FOREIGN KEY (closed_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: campaign_share_images campaign_share_images_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_share_images
    ADD CONSTRAINT campaign_share_images_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaign_updates campaign_updates_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign_updates
    ADD CONSTRAINT campaign_updates_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: campaigns campaigns_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id);

--
-- Name: campaigns campaigns_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: deliveries deliveries_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: deliveries deliveries_pledge_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pledge_id_fkey FOREIGN KEY (pledge_id) REFERENCES public.pledges(id) ON DELETE CASCADE;

--
-- Name: invitations invitations_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: invitations invitations_used_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_used_by_fkey FOREIGN KEY (used_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: mail_outbox mail_outbox_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: mail_outbox mail_outbox_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: mail_outbox mail_outbox_pledge_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_pledge_id_fkey FOREIGN KEY (pledge_id) REFERENCES public.pledges(id) ON DELETE CASCADE;

--
-- Name: network_holds network_holds_probe_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.network_holds
    ADD CONSTRAINT network_holds_probe_delivery_id_fkey FOREIGN KEY (probe_delivery_id) REFERENCES public.deliveries(id) ON DELETE SET NULL;

--
-- Name: operator_sign_in_links operator_sign_in_links_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_sign_in_links
    ADD CONSTRAINT operator_sign_in_links_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: organisation_invitations organisation_invitations_invited_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_invitations
    ADD CONSTRAINT organisation_invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: organisation_invitations organisation_invitations_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_invitations
    ADD CONSTRAINT organisation_invitations_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id) ON DELETE CASCADE;

--
-- Name: organisation_members organisation_members_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_members
    ADD CONSTRAINT organisation_members_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id) ON DELETE CASCADE;

--
-- Name: organisation_members organisation_members_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation_members
    ADD CONSTRAINT organisation_members_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: organisations organisations_suspended_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_suspended_by_fkey FOREIGN KEY (suspended_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: organiser_api_tokens organiser_api_tokens_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_api_tokens
    ADD CONSTRAINT organiser_api_tokens_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: organiser_mail_events organiser_mail_events_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_mail_events
    ADD CONSTRAINT organiser_mail_events_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: organiser_mail_settings organiser_mail_settings_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_mail_settings
    ADD CONSTRAINT organiser_mail_settings_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: organiser_recovery_codes organiser_recovery_codes_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_recovery_codes
    ADD CONSTRAINT organiser_recovery_codes_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organiser_second_factors(organiser_id) ON DELETE CASCADE;

--
-- Name: organiser_second_factors organiser_second_factors_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_second_factors
    ADD CONSTRAINT organiser_second_factors_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: organiser_sessions organiser_sessions_organiser_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organiser_sessions
    ADD CONSTRAINT organiser_sessions_organiser_id_fkey FOREIGN KEY (organiser_id) REFERENCES public.organisers(id) ON DELETE CASCADE;

--
-- Name: pending_pledges pending_pledges_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pending_pledges
    ADD CONSTRAINT pending_pledges_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: pledge_credentials pledge_credentials_pledge_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledge_credentials
    ADD CONSTRAINT pledge_credentials_pledge_id_fkey FOREIGN KEY (pledge_id) REFERENCES public.pledges(id) ON DELETE CASCADE;

--
-- Name: pledges pledges_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledges
    ADD CONSTRAINT pledges_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: pledges pledges_social_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pledges
    ADD CONSTRAINT pledges_social_account_id_fkey FOREIGN KEY (social_account_id) REFERENCES public.social_accounts(id) ON DELETE RESTRICT;

--
-- Name: short_links short_links_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.short_links
    ADD CONSTRAINT short_links_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: suggested_posts suggested_posts_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.suggested_posts
    ADD CONSTRAINT suggested_posts_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: supporter_mail_addresses supporter_mail_addresses_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supporter_mail_addresses
    ADD CONSTRAINT supporter_mail_addresses_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id) ON DELETE CASCADE;

--
-- Name: supporter_mail_addresses supporter_mail_addresses_pledge_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supporter_mail_addresses
    ADD CONSTRAINT supporter_mail_addresses_pledge_id_fkey FOREIGN KEY (pledge_id) REFERENCES public.pledges(id) ON DELETE CASCADE;

--
-- Name: webhook_deliveries webhook_deliveries_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES public.webhook_endpoints(id) ON DELETE CASCADE;

--
-- Name: webhook_deliveries webhook_deliveries_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.webhook_events(id) ON DELETE CASCADE;

--
-- Name: webhook_endpoints webhook_endpoints_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.organisers(id) ON DELETE SET NULL;

--
-- Name: webhook_endpoints webhook_endpoints_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id) ON DELETE CASCADE;

--
-- Name: webhook_events webhook_events_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_events
    ADD CONSTRAINT webhook_events_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id) ON DELETE CASCADE;

--
-- PostgreSQL database dump complete
--
