import { sql, type Kysely } from 'kysely';

// Sharing a campaign beyond the networks Chorus posts to (issue 16):
//
// - `suggested_posts`: the organiser's share kit, texts people post by hand through share links (X, Mastodon,
//   Bluesky, LinkedIn, Facebook, WhatsApp, email). A handful per campaign, listed in the order they were added.
// - `campaign_share_images`: the campaign's link-preview image (1200 × 630 PNG), one row per campaign, replaced
//   when what it shows changes. `figures_key` names what it shows (the coarse figures, title and image), so a
//   request whose figures match is answered from here without rendering again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('suggested_posts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) between 1 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('suggested_posts_campaign_idx').on('suggested_posts').columns(['campaign_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('campaign_share_images')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('figures_key', 'text', (c) => c.notNull().check(sql`figures_key ~ '^[0-9a-f]{64}$'`))
    .addColumn('png', 'bytea', (c) => c.notNull())
    .addColumn('rendered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // PNG is compressed already.
  await sql`alter table campaign_share_images alter column png set storage external`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_share_images').execute();
  await db.schema.dropTable('suggested_posts').execute();
}
