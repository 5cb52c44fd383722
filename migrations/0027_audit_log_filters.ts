import { sql, type Kysely } from 'kysely';

// The audit log's filters (issue 14, part 7): readers page newest first by id and may filter by action or by the
// organiser who acted. Without an index for each, a filter that matches few entries (a rare action, an organiser who
// did little) reads the whole log backwards to fill a page: on 200,000 entries a filter matching none took a 13 ms
// parallel sequential scan, 0.04 ms with its index (EXPLAIN ANALYZE, docs/organisations.md). The organisation filter
// has audit_entries_organisation_idx (0021); a day range uses audit_entries_at_idx (0021). Each new index keeps the id
// order, so a page stops after its limit, and an organisation's filtered page combines two indexes (BitmapAnd).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_entries_action_idx on audit_entries (action, id desc)`.execute(db);
  await sql`create index audit_entries_actor_idx on audit_entries (actor_organiser_id, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_entries_actor_idx`.execute(db);
  await sql`drop index audit_entries_action_idx`.execute(db);
}
