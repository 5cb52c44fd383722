import { sql, type Kysely } from 'kysely';

// Bluesky's OAuth client keeps each sign-in's state (PKCE verifier, DPoP key) between the
// redirect to the supporter's server and their return, which may land on another API process.
// The values hold private keys, so they are encrypted with the token key. Sessions are not kept
// here: each lives in its pledge's credentials and is erased with them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bluesky_oauth_states')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('value', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bluesky_oauth_states_created_at_idx').on('bluesky_oauth_states').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bluesky_oauth_states').execute();
}
