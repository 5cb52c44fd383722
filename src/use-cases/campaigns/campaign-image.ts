import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChorusContext } from '../../chorus-context.ts';
import {
  checkImage,
  imageContentType,
  imageExtension,
  imageAltProblem,
  type ImageExtension,
  type ImageProblem,
} from '../../domain/campaign-image-rules.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import {
  findCampaignImageName,
  findImageByHash,
  hasImage,
  replaceCampaignImage,
  type CampaignImageName,
} from '../../storage/campaign-image.repository.ts';
import { updateEditableCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign, CampaignImage, Db, NewCampaignImage } from '../../storage/database.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import type { Problem } from '../use-case-outcome.ts';

// A campaign's image lives in Postgres, named by the hash of its bytes: any API host serves it,
// and its URL changes whenever the image does, so browsers and proxies may keep it for good.

/** What arrived in the upload form's file field; `unreadable`: a body that was not a whole multipart form. */
export type ImageUpload =
  | { readonly kind: 'no-file' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'file'; readonly bytes: Buffer };

export type ImageUploadOutcome =
  | { readonly kind: 'saved'; readonly campaign: Campaign }
  | { readonly kind: 'refused'; readonly field: 'image' | 'imageAlt'; readonly problem: ImageProblem }
  | { readonly kind: 'too-late'; readonly message: string }
  /** Not the caller's campaign to change (not-found, or forbidden to their role). */
  | { readonly kind: 'denied'; readonly problem: Problem };

/** The address of a campaign's image, relative to Chorus's root: it names the bytes, so it changes with them. */
export function campaignImagePath(image: CampaignImageName): string {
  return `images/${image.sha256}.${imageExtension(image.content_type)}`;
}

/** The campaign's image address, or null when it has none. */
export async function campaignImageAddress(db: Db, campaignId: string): Promise<string | null> {
  const image = await findCampaignImageName(db, campaignId);
  return image === undefined ? null : campaignImagePath(image);
}

/** Makes an owner's or editor's upload the campaign's image, with its description, in one transaction; a refusal changes nothing. */
export async function saveUploadedImage(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  upload: ImageUpload,
  alt: string,
): Promise<ImageUploadOutcome> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return { kind: 'denied', problem: found };
  const campaign: Campaign = found.value;
  if (!isCampaignEditable(campaign.state))
    return { kind: 'too-late', message: `the campaign is ${campaign.state} and can no longer be changed` };
  const image = imageFromUpload(campaign.id, upload);
  if (image.kind === 'refused') return { kind: 'refused', field: 'image', problem: image.problem };
  const description = alt.trim();
  const altProblem = imageAltProblem(description);
  if (altProblem !== null) return { kind: 'refused', field: 'imageAlt', problem: altProblem };
  const updated = await ctx.db.transaction().execute(async (trx) => {
    // The campaign row is locked first, so uploads to one campaign take turns.
    const changed = await updateEditableCampaign(trx, campaign.id, { image_alt: description, image_file: null });
    if (changed !== undefined) {
      await replaceCampaignImage(trx, image.row);
      await recordAudit(trx, actor, {
        action: 'campaign.image-changed',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        changes: { sha256: image.row.sha256, contentType: image.row.content_type, byteLength: image.row.byte_length },
      });
    }
    return changed;
  });
  if (updated === undefined) return { kind: 'too-late', message: 'the campaign started launching and can no longer be changed' };
  return { kind: 'saved', campaign: updated };
}

/** The row for a campaign's image, or why these bytes cannot be one. */
export function campaignImageRow(
  campaignId: string,
  bytes: Buffer,
): { readonly kind: 'image'; readonly row: NewCampaignImage } | { readonly kind: 'refused'; readonly problem: ImageProblem } {
  const check = checkImage(bytes);
  if (check.kind === 'refused') return check;
  return {
    kind: 'image',
    row: {
      campaign_id: campaignId,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content_type: check.type.contentType,
      byte_length: bytes.byteLength,
      bytes,
    },
  };
}

function imageFromUpload(campaignId: string, upload: ImageUpload) {
  switch (upload.kind) {
    case 'no-file':
    case 'too-large':
    case 'unreadable':
      return { kind: 'refused', problem: upload.kind } as const;
    case 'file':
      return campaignImageRow(campaignId, upload.bytes);
  }
}

type StoredImageBytes = Pick<CampaignImage, 'content_type' | 'bytes'>;

export type ServedImage =
  { readonly kind: 'not-found' } | { readonly kind: 'not-modified' } | { readonly kind: 'image'; readonly image: StoredImageBytes };

/** How many bytes of images one API process keeps in memory. */
const IMAGE_MEMORY_BYTES = 32 * 1024 * 1024;

/**
 * Serves images by content address, keeping the most read in memory: the bytes behind a hash
 * never change, so a shared campaign's image is read from Postgres once per process, not once per
 * visitor. `clientHasIt`: the request's If-None-Match names this hash, so the answer is a 304
 * without reading the bytes, as long as the image is still stored.
 */
export function createImageServer(db: Db) {
  const kept = new LRUCache<string, StoredImageBytes>({ maxSize: IMAGE_MEMORY_BYTES, sizeCalculation: (image) => image.bytes.byteLength });
  return async function serveCampaignImage(sha256: string, extension: ImageExtension, clientHasIt: boolean): Promise<ServedImage> {
    const contentType = imageContentType(extension);
    const key = `${sha256}.${extension}`;
    const inMemory = kept.get(key);
    if (inMemory !== undefined) return clientHasIt ? { kind: 'not-modified' } : { kind: 'image', image: inMemory };
    if (clientHasIt) return (await hasImage(db, sha256, contentType)) ? { kind: 'not-modified' } : { kind: 'not-found' };
    const image = await findImageByHash(db, sha256, contentType);
    if (image === undefined) return { kind: 'not-found' };
    kept.set(key, image);
    return { kind: 'image', image };
  };
}
