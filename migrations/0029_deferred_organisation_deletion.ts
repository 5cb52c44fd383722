import { sql, type Kysely } from 'kysely';

// An organisation whose only member deleted their account is marked, not deleted at once (docs/organisations.md,
// "Deleting an account"): its supporters' "campaign cancelled" mails are written and sent first, and the workers
// delete it then, or a day after the mark at the latest. The partial index keeps that sweep's look-up small.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations add column deleting_since timestamptz`.execute(db);
  await sql`create index organisations_deleting_since_idx on organisations (deleting_since) where deleting_since is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index organisations_deleting_since_idx`.execute(db);
  await sql`alter table organisations drop column deleting_since`.execute(db);
}
