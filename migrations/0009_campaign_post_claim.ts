import { sql, type Kysely } from 'kysely';

// The campaign's own X post (repost mode) is made by the launch job before the fan-out, under a
// claim like a delivery's: `post_claimed_at` is set before X is called and cleared when X said
// no post was made, so a claim left behind by a worker that died means "look before posting".
// `post_attempts` counts the claims, for the backoff between them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaign_accounts
    add column post_claimed_at timestamptz,
    add column post_attempts integer not null default 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaign_accounts drop column post_claimed_at, drop column post_attempts`.execute(db);
}
