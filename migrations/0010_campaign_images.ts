import { sql, type Kysely } from 'kysely';

// Campaign images move from the API host's disk (UPLOAD_DIR) into Postgres, so every API host
// serves every campaign's image. One current image per campaign: a new upload replaces the row.
// `campaigns.image_file` stays, read only by `npm run images:import`, which moves the old files
// in and clears it; `campaigns.image_alt` stays where it is.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaign_images')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    // The served URL and the ETag are made from it.
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    // Only types that cannot carry script (no SVG): the bytes are served from Chorus's own origin.
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('image/png', 'image/jpeg', 'image/webp')`))
    .addColumn('byte_length', 'integer', (c) => c.notNull().check(sql`byte_length > 0`))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaign_images_byte_length_matches', sql`byte_length = octet_length(bytes)`)
    .execute();
  // PNG, JPEG and WebP are compressed already: TOAST stores them out of line without trying again.
  await sql`alter table campaign_images alter column bytes set storage external`.execute(db);
  await db.schema.createIndex('campaign_images_sha256_idx').on('campaign_images').column('sha256').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_images').execute();
}
