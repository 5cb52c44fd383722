import { sql, type Kysely } from 'kysely';

// Leases, the unknown-outcome check, retry deadlines and the app's posting budget.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropConstraint('deliveries_state_check').execute();
  await db.schema
    .alterTable('deliveries')
    .addCheckConstraint('deliveries_state_check', sql`state in ('queued', 'held', 'claimed', 'unknown', 'sent', 'failed')`)
    .execute();
  await db.schema
    .alterTable('deliveries')
    // Which claim holds the delivery; an outcome is written only by the claim that still holds it.
    .addColumn('claim_id', 'uuid')
    .addColumn('lease_expires_at', 'timestamptz')
    // Set once a post may have gone out; from then on every attempt looks before it posts.
    .addColumn('must_check', 'boolean', (c) => c.notNull().defaultTo(false))
    // Not to be tried before this (a rate limit's reset, a backoff, the budget's renewal).
    .addColumn('next_attempt_at', 'timestamptz')
    // Set at the first problem: retries stop here and the delivery fails with its last reason.
    .addColumn('retry_deadline', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('deliveries')
    .addCheckConstraint('deliveries_claimed_has_lease', sql`state <> 'claimed' or (claim_id is not null and lease_expires_at is not null)`)
    .execute();
  // What the recovery sweep reads: deliveries still waiting for work, by when they are due.
  await sql`create index deliveries_unfinished_due on deliveries (coalesce(lease_expires_at, next_attempt_at, updated_at)) where state in ('queued', 'held', 'claimed', 'unknown')`.execute(
    db,
  );

  // Posts spent from the app's budget, per network and time bucket (a twenty-fourth of the window).
  await db.schema
    .createTable('post_budget_spends')
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('spent', 'integer', (c) => c.notNull().check(sql`spent >= 0`))
    .addPrimaryKeyConstraint('post_budget_spends_pk', ['network', 'bucket_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('post_budget_spends').execute();
  await sql`drop index deliveries_unfinished_due`.execute(db);
  await db.schema.alterTable('deliveries').dropConstraint('deliveries_claimed_has_lease').execute();
  await db.schema
    .alterTable('deliveries')
    .dropColumn('claim_id')
    .dropColumn('lease_expires_at')
    .dropColumn('must_check')
    .dropColumn('next_attempt_at')
    .dropColumn('retry_deadline')
    .execute();
  await db.schema.alterTable('deliveries').dropConstraint('deliveries_state_check').execute();
  await db.schema
    .alterTable('deliveries')
    .addCheckConstraint('deliveries_state_check', sql`state in ('queued', 'claimed', 'sent', 'failed', 'unknown')`)
    .execute();
}
