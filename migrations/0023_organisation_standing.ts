import { sql, type Kysely } from 'kysely';

// Trust and suspension of an organisation (issue 14, parts 3 and 5), where migration 0018 keyed both by organiser:
//
// - `organisations.trusted`: an operator trusts the organisation; its campaigns skip review. Moved from
//   `organisers.trusted`: an organisation is trusted when any of its owners was (an owner decides who joins, so the
//   trust they had now covers the team they run), and the organiser's column goes (nothing else read it).
// - `organisations.standing`: `active` or `suspended` by an operator, with who (`suspended_by`), when
//   (`suspended_at`) and why (`suspension_reason`, the operator's words; shown to operators only). Every request
//   acting on a suspended organisation is refused; its members' other organisations keep working.
// - `campaigns.suspended_with_organisation`: suspended because its organisation was; lifting the organisation's
//   suspension lifts only these (as `suspended_with_organiser` does for an account).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations
    add column trusted boolean not null default false,
    add column standing text not null default 'active' check (standing in ('active', 'suspended')),
    add column suspended_at timestamptz,
    add column suspended_by uuid references organisers(id) on delete set null,
    add column suspension_reason text check (length(suspension_reason) <= 2000),
    add constraint organisations_suspension_has_time check ((standing = 'suspended') = (suspended_at is not null))`.execute(db);
  await sql`update organisations o set trusted = true where exists (
    select 1 from organisation_members m join organisers r on r.id = m.organiser_id
    where m.organisation_id = o.id and m.role = 'owner' and r.trusted)`.execute(db);
  await sql`alter table organisers drop column trusted`.execute(db);
  // The operator's list of suspended organisations.
  await sql`create index organisations_suspended_idx on organisations (suspended_at) where standing = 'suspended'`.execute(db);
  await sql`alter table campaigns add column suspended_with_organisation boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns drop column suspended_with_organisation`.execute(db);
  await sql`alter table organisers add column trusted boolean not null default false`.execute(db);
  await sql`update organisers r set trusted = true where exists (
    select 1 from organisation_members m join organisations o on o.id = m.organisation_id
    where m.organiser_id = r.id and m.role = 'owner' and o.trusted)`.execute(db);
  await sql`drop index organisations_suspended_idx`.execute(db);
  await sql`alter table organisations drop constraint organisations_suspension_has_time,
    drop column suspension_reason, drop column suspended_by, drop column suspended_at, drop column standing, drop column trusted`.execute(
    db,
  );
}
