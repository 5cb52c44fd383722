import { sql, type Kysely } from 'kysely';

// Supporters' data, kept no longer than needed (issue 13, items 11 and 13):
//
// - `pending_pledges`: the grant a supporter gave on the consent page, held here between the consent and their
//   confirmation on the review page. It used to ride in the encrypted session cookie, so a copy of the cookie
//   replayed after a withdrawal brought the erased grant back; now the cookie carries only this row's id, the
//   confirmation deletes the row (one confirmation wins), a withdrawal deletes the account's rows, and rows past
//   `expires_at` are cleared by the workers.
// - `pledges.shown_publicly`: whether the supporter chose to have their name on the campaign's public page
//   (off unless they said so, for pledges made before this migration too). Two partial indexes serve the public
//   lists, which name only those supporters; the existing ones still serve the organiser's dashboard.
// - `pledges_social_account_idx`: an account's row is deleted once no pledge needs it; the foreign key's check and
//   the "still needed?" question both look pledges up by account.
// - `campaigns.supporters_erased_at`: when the workers erased the personal data of an ended campaign's supporters
//   (SUPPORTER_DATA_RETENTION_DAYS after it ended); the partial index lists the ended campaigns still waiting.
// - `tally_deliveries()`: deleting an ended campaign's deliveries (an erasure) leaves its delivery counts as they
//   are: they are the campaign's anonymous record. Deleting a delivery of a campaign still running takes it out of
//   the counts, as before. Pledges have no delete trigger, so erasing them never changed supporters or reach.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table pending_pledges (
    id uuid primary key default gen_random_uuid(),
    campaign_id uuid not null references campaigns(id) on delete cascade,
    network text not null check (network in ('x', 'mastodon', 'bluesky', 'linkedin')),
    variant_index integer check (variant_index >= 0 and variant_index <= 10),
    network_user_id text not null,
    handle text not null,
    display_name text not null,
    followers integer not null check (followers >= 0),
    server text,
    key_id text not null,
    access_token bytea not null,
    refresh_token bytea,
    access_expires_at timestamptz not null,
    scopes text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index pending_pledges_expires_idx on pending_pledges (expires_at)`.execute(db);
  await sql`create index pending_pledges_account_idx on pending_pledges (campaign_id, network, network_user_id)`.execute(db);

  await sql`alter table pledges add column shown_publicly boolean not null default false`.execute(db);
  await sql`create index pledges_public_top_supporters on pledges (campaign_id, followers desc, id)
    where state = 'active' and shown_publicly`.execute(db);
  await sql`create index pledges_public_recent_supporters on pledges (campaign_id, created_at desc, id desc)
    where state = 'active' and shown_publicly`.execute(db);
  await sql`create index pledges_social_account_idx on pledges (social_account_id)`.execute(db);

  await sql`alter table campaigns add column supporters_erased_at timestamptz`.execute(db);
  await sql`create index campaigns_awaiting_erasure_idx on campaigns (ended_at)
    where ended_at is not null and supporters_erased_at is null`.execute(db);

  await sql`
  create or replace function tally_deliveries() returns trigger language plpgsql as $$
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
  end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
  create or replace function tally_deliveries() returns trigger language plpgsql as $$
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
      select jsonb_agg(c) into changes from (select campaign_id, network, state, -count(*) as n from old_rows group by campaign_id, network, state) c;
    end if;
    insert into campaign_delivery_tallies as t (campaign_id, network, state, stripe, deliveries)
    select x.campaign_id, x.network, x.state, (pg_backend_pid() % 16)::smallint, x.n
    from jsonb_to_recordset(coalesce(changes, '[]')) as x(campaign_id uuid, network text, state text, n integer)
    where exists (select 1 from campaigns c where c.id = x.campaign_id)
    order by x.campaign_id, x.network, x.state
    on conflict (campaign_id, network, state, stripe) do update set deliveries = t.deliveries + excluded.deliveries;
    return null;
  end $$`.execute(db);
  await sql`drop index campaigns_awaiting_erasure_idx`.execute(db);
  await sql`alter table campaigns drop column supporters_erased_at`.execute(db);
  await sql`drop index pledges_social_account_idx`.execute(db);
  await sql`drop index pledges_public_recent_supporters`.execute(db);
  await sql`drop index pledges_public_top_supporters`.execute(db);
  await sql`alter table pledges drop column shown_publicly`.execute(db);
  await sql`drop table pending_pledges`.execute(db);
}
