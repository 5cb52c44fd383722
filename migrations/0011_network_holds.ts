import { sql, type Kysely } from 'kysely';

// A network that refuses every post of this Chorus for now (X answers 402 when the app's prepaid
// credits run out, or 429 with its 24-hour app cap spent) is paused as a whole: one row per paused
// network. While it exists no delivery of that network is claimed, except its probe: one delivery
// tried at `next_probe_at`, later and later (`probes` counts the probes that met the pause again),
// whose first post that goes out deletes the row and wakes the rest.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('network_holds')
    .addColumn('network', 'text', (c) => c.primaryKey())
    .addColumn('cause', 'text', (c) => c.notNull().check(sql`cause in ('out-of-credits', 'app-daily-cap')`))
    // The network's own words, for the operator.
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('next_probe_at', 'timestamptz', (c) => c.notNull())
    .addColumn('probes', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`probes >= 0`),
    )
    // None while no delivery probes (the campaign's own post met the pause, or the probe's delivery ended otherwise).
    .addColumn('probe_delivery_id', 'uuid', (c) => c.references('deliveries.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('network_holds').execute();
}
