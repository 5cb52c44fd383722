import { sql, type Kysely } from 'kysely';

// Organisers' sign-ins become rows Chorus can end: the cookie carries only a random session token,
// whose SHA-256 digest is kept here, so signing out (here, everywhere, or by changing the password)
// ends the session wherever the cookie was copied. API tokens may now expire.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organiser_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The digest of the cookie's token, never the token: a copy of this table opens no session.
    .addColumn('token_hash', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`token_hash ~ '^[0-9a-f]{64}$'`),
    )
    .addColumn('organiser_id', 'uuid', (c) => c.notNull().references('organisers.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Not indexed, so that noting a request (at most once a minute) stays a HOT update.
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The absolute end, fixed at sign-in; the idle end is worked out from last_seen_at.
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // Enough for the organiser to recognise their own devices, no more: "Firefox on Linux", "203.0.113.0/24".
    .addColumn('user_agent', 'text', (c) => c.notNull().check(sql`length(user_agent) <= 100`))
    .addColumn('ip_prefix', 'text', (c) => c.check(sql`length(ip_prefix) <= 50`))
    .addCheckConstraint('organiser_sessions_expire_after_creation', sql`expires_at > created_at`)
    .execute();
  await db.schema.createIndex('organiser_sessions_organiser_idx').on('organiser_sessions').column('organiser_id').execute();

  await db.schema.alterTable('organiser_api_tokens').addColumn('expires_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organiser_api_tokens').dropColumn('expires_at').execute();
  await db.schema.dropTable('organiser_sessions').execute();
}
