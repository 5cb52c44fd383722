import { sql, type Kysely } from 'kysely';

// Running an instance for many organisers (issue 14: operators, sign-up modes, review, reports, suspensions):
//
// - `organisers.role`: `operator` runs the instance (reviews, reports, suspensions, settings); `organiser` runs campaigns.
//   A role on the account, not a table: an operator is also an organiser, and an organisation's roles (later) are per
//   organisation, not per instance.
// - `organisers.standing`: `awaiting_approval` (signed up while sign-up needs an operator's approval), `active`, or
//   `suspended` (by an operator: their sessions and API tokens stop working).
// - `organisers.trusted`: an operator trusts this organiser, whose campaigns skip review (keyed by organiser until
//   organisations exist; a later migration moves it to the organisation).
// - `instance_settings`: one row, the operator's choices; a null column means the environment's default
//   (SIGN_UP_MODE, CAMPAIGN_REVIEW).
// - `invitations` and `operator_sign_in_links`: single-use links that expire, kept as hashes of their tokens.
// - `campaigns`: two new states, `in_review` and `suspended`; `review_note` (why an operator returned it, shown to the
//   organiser until it is published again); `suspended_from` (the state a suspension lifts it back to) and
//   `suspended_with_organiser` (suspended because its organiser was; lifted with them).
// - `campaign_reports`: what a visitor reported about a public campaign; the contact they left is erased
//   REPORT_CONTACT_RETENTION_DAYS after the report is closed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisers
    add column role text not null default 'organiser' check (role in ('organiser', 'operator')),
    add column standing text not null default 'active' check (standing in ('awaiting_approval', 'active', 'suspended')),
    add column trusted boolean not null default false`.execute(db);
  await sql`create index organisers_awaiting_approval_idx on organisers (created_at) where standing = 'awaiting_approval'`.execute(db);

  await sql`create table instance_settings (
    id boolean primary key default true check (id),
    sign_up_mode text check (sign_up_mode in ('open', 'approval', 'invitation')),
    campaign_review boolean,
    updated_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table invitations (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique,
    created_by uuid references organisers(id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    used_by uuid references organisers(id) on delete set null
  )`.execute(db);

  await sql`create table operator_sign_in_links (
    id uuid primary key default gen_random_uuid(),
    organiser_id uuid not null references organisers(id) on delete cascade,
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
  )`.execute(db);

  await sql`alter table campaigns drop constraint campaigns_state_check`.execute(db);
  await sql`alter table campaigns add constraint campaigns_state_check check (state in
    ('draft', 'in_review', 'collecting', 'suspended', 'launching', 'launched', 'missed_goal', 'cancelled'))`.execute(db);
  await sql`alter table campaigns
    add column review_note text,
    add column suspended_from text check (suspended_from in ('draft', 'in_review', 'collecting')),
    add column suspended_with_organiser boolean not null default false,
    add constraint campaigns_suspended_has_origin check ((state = 'suspended') = (suspended_from is not null))`.execute(db);
  await sql`create index campaigns_by_state_idx on campaigns (state, launch_at)`.execute(db);

  await sql`create table campaign_reports (
    id uuid primary key default gen_random_uuid(),
    campaign_id uuid not null references campaigns(id) on delete cascade,
    reason text not null,
    contact text,
    created_at timestamptz not null default now(),
    closed_at timestamptz,
    closed_by uuid references organisers(id) on delete set null
  )`.execute(db);
  await sql`create index campaign_reports_open_idx on campaign_reports (created_at) where closed_at is null`.execute(db);
  await sql`create index campaign_reports_contact_idx on campaign_reports (closed_at) where contact is not null and closed_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table campaign_reports`.execute(db);
  await sql`drop index campaigns_by_state_idx`.execute(db);
  await sql`alter table campaigns drop constraint campaigns_suspended_has_origin,
    drop column suspended_with_organiser, drop column suspended_from, drop column review_note`.execute(db);
  await sql`alter table campaigns drop constraint campaigns_state_check`.execute(db);
  await sql`alter table campaigns add constraint campaigns_state_check check (state in
    ('draft', 'collecting', 'launching', 'launched', 'missed_goal', 'cancelled'))`.execute(db);
  await sql`drop table operator_sign_in_links`.execute(db);
  await sql`drop table invitations`.execute(db);
  await sql`drop table instance_settings`.execute(db);
  await sql`drop index organisers_awaiting_approval_idx`.execute(db);
  await sql`alter table organisers drop column trusted, drop column standing, drop column role`.execute(db);
}
