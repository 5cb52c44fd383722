import type { ImageContentType } from '../domain/campaign-image-rules.ts';
import type { CampaignImage, Db, NewCampaignImage } from './database.ts';

/** What names a stored image in its URL: its hash and type. */
export type CampaignImageName = Pick<CampaignImage, 'sha256' | 'content_type'>;

/** Makes `image` its campaign's current image, in place of any earlier one; call it inside a transaction. */
export async function replaceCampaignImage(db: Db, image: NewCampaignImage): Promise<void> {
  await db.deleteFrom('campaign_images').where('campaign_id', '=', image.campaign_id).execute();
  await db.insertInto('campaign_images').values(image).execute();
}

/** Gives a campaign `image` unless it has an image already; true when it was stored. */
export async function addCampaignImageIfNone(db: Db, image: NewCampaignImage): Promise<boolean> {
  const stored = await db
    .insertInto('campaign_images')
    .values(image)
    .onConflict((oc) => oc.column('campaign_id').doNothing())
    .returning('campaign_id')
    .executeTakeFirst();
  return stored !== undefined;
}

/** The name of a campaign's current image, for its URL; undefined when it has none. */
export function findCampaignImageName(db: Db, campaignId: string): Promise<CampaignImageName | undefined> {
  return db.selectFrom('campaign_images').select(['sha256', 'content_type']).where('campaign_id', '=', campaignId).executeTakeFirst();
}

/** A stored image by its hash and type, with its bytes. */
export function findImageByHash(
  db: Db,
  sha256: string,
  contentType: ImageContentType,
): Promise<Pick<CampaignImage, 'sha256' | 'content_type' | 'bytes'> | undefined> {
  return db
    .selectFrom('campaign_images')
    .select(['sha256', 'content_type', 'bytes'])
    .where('sha256', '=', sha256)
    .where('content_type', '=', contentType)
    .limit(1)
    .executeTakeFirst();
}

/** Whether an image with this hash and type is stored, without reading its bytes. */
export async function hasImage(db: Db, sha256: string, contentType: ImageContentType): Promise<boolean> {
  const found = await db
    .selectFrom('campaign_images')
    .select('campaign_id')
    .where('sha256', '=', sha256)
    .where('content_type', '=', contentType)
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** Campaigns whose image is still a file under the old UPLOAD_DIR. */
export function listImageFilesToImport(db: Db): Promise<{ id: string; image_file: string }[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'image_file'])
    .where('image_file', 'is not', null)
    .orderBy('id')
    .$narrowType<{ image_file: string }>()
    .execute();
}

/** Forgets a campaign's old image file, if it still names `file`; true when it did. */
export async function clearImageFile(db: Db, campaignId: string, file: string): Promise<boolean> {
  const cleared = await db
    .updateTable('campaigns')
    .set({ image_file: null })
    .where('id', '=', campaignId)
    .where('image_file', '=', file)
    .executeTakeFirst();
  return cleared.numUpdatedRows > 0n;
}
