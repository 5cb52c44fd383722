import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they describe the schema as it was at that moment,
// not as the application's types say it is today.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists citext`.execute(db);

  await db.schema
    .createTable('organisers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', sql`citext`, (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('organiser_api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organiser_id', 'uuid', (c) => c.notNull().references('organisers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('organiser_api_tokens_organiser_idx').on('organiser_api_tokens').column('organiser_id').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organiser_id', 'uuid', (c) => c.notNull().references('organisers.id').onDelete('restrict'))
    .addColumn('slug', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('variants', sql`text[]`, (c) =>
      c
        .notNull()
        .defaultTo(sql`'{}'`)
        .check(sql`cardinality(variants) <= 10`),
    )
    .addColumn('goal', 'integer', (c) => c.notNull().check(sql`goal > 0`))
    .addColumn('launch_at', 'timestamptz', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('networks', sql`text[]`, (c) => c.notNull().check(sql`cardinality(networks) > 0 and networks <@ array['x']::text[]`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`state in ('draft', 'collecting', 'launching', 'launched', 'missed_goal', 'cancelled')`),
    )
    // Counters kept in the pledge's own transaction, so reading the numbers never scans pledges.
    .addColumn('supporter_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`supporter_count >= 0`),
    )
    .addColumn('reach', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reach >= 0`),
    )
    // Where the launch job stopped paging pledges, so a launch job that died resumes there.
    .addColumn('release_cursor', 'uuid')
    .addColumn('release_enqueued_at', 'timestamptz')
    .addColumn('launch_started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaigns_organiser_idx').on('campaigns').column('organiser_id').execute();
  await db.schema.createIndex('campaigns_scheduled_idx').on('campaigns').columns(['state', 'launch_at']).execute();

  await db.schema
    .createTable('social_accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('network', 'text', (c) => c.notNull().check(sql`network in ('x')`))
    .addColumn('network_user_id', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('followers', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`followers >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('social_accounts_network_user_unique', ['network', 'network_user_id'])
    .execute();

  await db.schema
    .createTable('pledges')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('social_account_id', 'uuid', (c) => c.notNull().references('social_accounts.id').onDelete('restrict'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('variant_index', 'integer', (c) => c.check(sql`variant_index between 0 and 10`))
    .addColumn('followers', 'integer', (c) => c.notNull().check(sql`followers >= 0`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`state in ('active', 'withdrawn')`),
    )
    // A hash of the supporter's private link token: the link itself is never stored.
    .addColumn('manage_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  await sql`create unique index pledges_one_active_per_account on pledges (campaign_id, social_account_id) where state = 'active'`.execute(
    db,
  );
  await sql`create index pledges_release_page on pledges (campaign_id, id) where state = 'active'`.execute(db);
  // The public page's two lists, each read as a short index scan even at a million pledges.
  await sql`create index pledges_top_supporters on pledges (campaign_id, followers desc, id) where state = 'active'`.execute(db);
  await sql`create index pledges_recent_supporters on pledges (campaign_id, created_at desc, id desc) where state = 'active'`.execute(db);

  // Kept apart from pledges so that erasing a supporter's access is deleting one row.
  await db.schema
    .createTable('pledge_credentials')
    .addColumn('pledge_id', 'uuid', (c) => c.primaryKey().references('pledges.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('access_token', 'bytea', (c) => c.notNull())
    .addColumn('refresh_token', 'bytea')
    .addColumn('access_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pledge_id', 'uuid', (c) => c.notNull().unique().references('pledges.id').onDelete('cascade'))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`state in ('queued', 'claimed', 'sent', 'failed', 'unknown')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('network_post_id', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('deliveries_sent_has_post_id', sql`state <> 'sent' or network_post_id is not null`)
    .addCheckConstraint('deliveries_failed_has_reason', sql`state <> 'failed' or failure_reason is not null`)
    .execute();
  await db.schema.createIndex('deliveries_campaign_state_idx').on('deliveries').columns(['campaign_id', 'state']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'deliveries',
    'pledge_credentials',
    'pledges',
    'social_accounts',
    'campaigns',
    'organiser_api_tokens',
    'organisers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
