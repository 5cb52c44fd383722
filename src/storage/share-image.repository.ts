import type { Db } from './database.ts';

/** The campaign's stored share image, when it shows the figures named by `figuresKey`. */
export async function findShareImage(db: Db, campaignId: string, figuresKey: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('campaign_share_images')
    .select('png')
    .where('campaign_id', '=', campaignId)
    .where('figures_key', '=', figuresKey)
    .executeTakeFirst();
  return row?.png;
}

/** Keeps a freshly rendered share image as the campaign's, in place of the one that showed older figures. */
export async function saveShareImage(db: Db, campaignId: string, figuresKey: string, png: Buffer): Promise<void> {
  await db
    .insertInto('campaign_share_images')
    .values({ campaign_id: campaignId, figures_key: figuresKey, png })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ figures_key: figuresKey, png, rendered_at: new Date() }))
    .execute();
}
