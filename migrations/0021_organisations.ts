import { sql, type Kysely } from 'kysely';

// Organisations, their members and roles, invitations, and the audit log (issue 14, parts 4 and 7):
//
// - `organisations`: campaigns belong to one; an organiser who signs up gets one of their own.
// - `organisation_members`: who is in which, as `owner`, `editor` or `viewer` (what each may do is
//   src/domain/organisation-role.ts). Every organiser already here becomes the owner of an organisation named as
//   they are, and their campaigns move into it; `campaigns.organiser_id` stays, as "created by".
// - `organisation_invitations`: single-use, expiring links; only the SHA-256 of the link's token is kept, and an
//   accepted invitation's row is deleted (`delete … returning`, so only one acceptance wins).
// - `audit_entries`: who did what, when, and from where. No product path updates or deletes a row: a trigger
//   refuses every UPDATE, and every DELETE except in a transaction that set `chorus.audit_retention_sweep` to
//   'on' (the workers' retention sweep, AUDIT_LOG_RETENTION_DAYS; `set local` lasts for that transaction only).
//   No foreign keys: an entry outlives what it names. TRUNCATE is refused too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table organisations (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    created_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table organisation_members (
    organisation_id uuid not null references organisations(id) on delete cascade,
    organiser_id uuid not null references organisers(id) on delete cascade,
    role text not null check (role in ('owner', 'editor', 'viewer')),
    created_at timestamptz not null default now(),
    primary key (organisation_id, organiser_id)
  )`.execute(db);
  // An organiser's organisations (the switcher, every membership check).
  await sql`create index organisation_members_organiser_idx on organisation_members (organiser_id)`.execute(db);

  await sql`create table organisation_invitations (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations(id) on delete cascade,
    role text not null check (role in ('owner', 'editor', 'viewer')),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    invited_by uuid references organisers(id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    check (expires_at > created_at)
  )`.execute(db);
  await sql`create index organisation_invitations_organisation_idx on organisation_invitations (organisation_id)`.execute(db);

  // One organisation per organiser already here, named as they are, with them as its owner; their campaigns move in.
  await sql`alter table organisers add column own_organisation_id uuid`.execute(db);
  await sql`update organisers set own_organisation_id = gen_random_uuid()`.execute(db);
  await sql`insert into organisations (id, name, created_at) select own_organisation_id, left(name, 200), created_at from organisers`.execute(
    db,
  );
  await sql`insert into organisation_members (organisation_id, organiser_id, role, created_at)
    select own_organisation_id, id, 'owner', created_at from organisers`.execute(db);
  await sql`alter table campaigns add column organisation_id uuid references organisations(id)`.execute(db);
  await sql`update campaigns c set organisation_id = o.own_organisation_id from organisers o where o.id = c.organiser_id`.execute(db);
  await sql`alter table campaigns alter column organisation_id set not null`.execute(db);
  await sql`alter table organisers drop column own_organisation_id`.execute(db);
  await sql`create index campaigns_organisation_idx on campaigns (organisation_id, launch_at)`.execute(db);

  await sql`create table audit_entries (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    organisation_id uuid,
    actor_organiser_id uuid,
    action text not null check (action ~ '^[a-z]+(\\.[a-z-]+)+$'),
    campaign_id uuid,
    subject_id text check (length(subject_id) <= 100),
    changes jsonb not null default '{}'::jsonb check (jsonb_typeof(changes) = 'object' and length(changes::text) <= 4000),
    client_ip text check (length(client_ip) <= 100)
  )`.execute(db);
  await sql`create index audit_entries_organisation_idx on audit_entries (organisation_id, id desc)`.execute(db);
  await sql`create index audit_entries_at_idx on audit_entries (at)`.execute(db);

  await sql`
  create function refuse_audit_change() returns trigger language plpgsql as $$
  begin
    if tg_op = 'DELETE' and coalesce(current_setting('chorus.audit_retention_sweep', true), '') = 'on' then
      return old;
    end if;
    raise exception 'audit entries cannot be changed (% refused)', tg_op using errcode = 'insufficient_privilege';
  end $$`.execute(db);
  await sql`create trigger audit_entries_refuse_update before update or delete on audit_entries
    for each row execute function refuse_audit_change()`.execute(db);
  await sql`create trigger audit_entries_refuse_truncate before truncate on audit_entries
    for each statement execute function refuse_audit_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_entries`.execute(db);
  await sql`drop function refuse_audit_change()`.execute(db);
  await sql`alter table campaigns drop column organisation_id`.execute(db);
  await sql`drop table organisation_invitations`.execute(db);
  await sql`drop table organisation_members`.execute(db);
  await sql`drop table organisations`.execute(db);
}
