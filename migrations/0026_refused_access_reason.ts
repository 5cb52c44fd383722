import { sql, type Kysely } from 'kysely';

// A refresh refused ahead of the launch erases the supporter's grant and asks them to authorise again (issue 15,
// docs/reliability.md). If they do not, the delivery fails at the launch; the organiser's report should then say the
// supporter revoked access (the network's words), not only that no grant was held. A renewal clears it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pledges add column access_refused_reason text check (length(access_refused_reason) <= 500)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pledges drop column access_refused_reason`.execute(db);
}
