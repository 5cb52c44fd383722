import { sql, type Kysely } from 'kysely';

// The pages' schema: short links, dated updates, the campaign image, and per-minute
// counters for the dashboard's chart (kept in the pledge transaction, never counted from pledges).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('image_file', 'text')
    .addColumn('image_alt', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('short_links')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[A-Za-z0-9]{6}$'`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().unique().references('campaigns.id').onDelete('cascade'))
    .addColumn('visits', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('campaign_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 5000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_updates_campaign_idx').on('campaign_updates').columns(['campaign_id', 'created_at']).execute();

  // One row per campaign, network and minute with the change in supporters and reach in
  // that minute: the chart sums at most 60 days × 1440 small rows, whatever the pledge count.
  await db.schema
    .createTable('campaign_minutes')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('minute', 'timestamptz', (c) => c.notNull())
    .addColumn('supporters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reach', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('campaign_minutes_pk', ['campaign_id', 'network', 'minute'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['campaign_minutes', 'campaign_updates', 'short_links']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('campaigns').dropColumn('image_file').dropColumn('image_alt').execute();
}
