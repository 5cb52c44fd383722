import { sql, type Kysely } from 'kysely';

// Optional two-factor sign-in for organisers: a TOTP secret (RFC 6238) and ten single-use recovery
// codes. Kept beside `organisers`, not in it, so the row every signed-in request loads stays small.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organiser_second_factors')
    .addColumn('organiser_id', 'uuid', (c) => c.primaryKey().references('organisers.id').onDelete('cascade'))
    // The TOTP secret, encrypted with the token key that `key_id` names (as supporters' grants are).
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('secret', 'bytea', (c) => c.notNull())
    // Null while the organiser is enrolling: the factor counts only once a code from it was typed back.
    .addColumn('confirmed_at', 'timestamptz')
    // The TOTP time step of the last code accepted: a code of that step or an earlier one is a replay.
    .addColumn('last_used_step', 'bigint')
    // Wrong codes in a row, and when the last was typed: enough of them close the code step for a while.
    .addColumn('failed_attempts', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`failed_attempts >= 0`),
    )
    .addColumn('last_failed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('organiser_recovery_codes')
    // Removing the second factor removes its recovery codes.
    .addColumn('organiser_id', 'uuid', (c) => c.notNull().references('organiser_second_factors.organiser_id').onDelete('cascade'))
    // SHA-256 of the code (salted with the organiser's id); the code itself is shown once and never kept.
    .addColumn('code_hash', 'text', (c) => c.notNull().check(sql`code_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('organiser_recovery_codes_pkey', ['organiser_id', 'code_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organiser_recovery_codes').execute();
  await db.schema.dropTable('organiser_second_factors').execute();
}
