import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { shareCard, type ShareCard } from '../../domain/share-card.ts';
import { findCampaignImageName, findImageByHash, type CampaignImageName } from '../../storage/campaign-image.repository.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import { findShareImage, saveShareImage } from '../../storage/share-image.repository.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { createShortLivedCache } from '../campaign-views/short-lived-cache.ts';
import { renderShareCard, type CardPhoto } from './render-share-card.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

// Bumped when the card's layout changes, so every stored image is rendered again.
const LAYOUT_VERSION = 1;

/** What a campaign's share image shows now, and the key that names it (its ETag, and the `v` of its URL). */
export interface ShareImageDescription {
  readonly campaignId: string;
  readonly slug: string;
  readonly key: string;
  readonly card: ShareCard;
  readonly link: string;
  readonly photo: { readonly sha256: string; readonly contentType: CardPhoto['contentType'] } | null;
}

/** What a request for a share image gets. */
export type ServedShareImage =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-modified'; readonly etag: string }
  | { readonly kind: 'image'; readonly etag: string; readonly png: Buffer };

/** The rows beside the campaign that its share image (and its public page) show: read once, used by each part. */
export interface ShareImageFacts {
  /** The organisation that runs the campaign, as its public page names it. */
  readonly organisationName: string;
  readonly image: CampaignImageName | undefined;
  readonly shortCode: string;
}

/** Reads what a campaign's share image shows beside the campaign row: its organisation's name, its image and its short link. */
export async function readShareImageFacts(db: Db, campaign: Pick<Campaign, 'id' | 'organisation_id'>): Promise<ShareImageFacts> {
  const [organisation, image, shortCode] = await Promise.all([
    findOrganisation(db, campaign.organisation_id),
    findCampaignImageName(db, campaign.id),
    ensureShortLink(db, campaign.id),
  ]);
  return { organisationName: organisation?.name ?? '', image, shortCode };
}

/** What the share image of this (public) campaign shows now, and its key. */
export async function describeShareImage(db: Db, campaign: Campaign, publicUrl: string, now = new Date()): Promise<ShareImageDescription> {
  return shareImageDescription(campaign, await readShareImageFacts(db, campaign), publicUrl, now);
}

/** What the share image shows, from the campaign and the facts already read beside it, and its key. */
export function shareImageDescription(
  campaign: Campaign,
  facts: ShareImageFacts,
  publicUrl: string,
  now = new Date(),
): ShareImageDescription {
  const { image } = facts;
  const card = shareCard(
    {
      title: campaign.title,
      organiser: facts.organisationName,
      state: campaign.state,
      supporters: campaign.supporter_count,
      goal: campaign.goal,
      reach: campaign.reach,
      launchAt: campaign.launch_at,
    },
    now,
  );
  // The card names the short link without its scheme, as people type it from a poster.
  const link = new URL(`s/${facts.shortCode}`, withTrailingSlash(publicUrl)).toString().replace(/^https?:\/\//, '');
  const photo =
    image === undefined || image.content_type === 'image/webp' ? null : { sha256: image.sha256, contentType: image.content_type };
  const key = createHash('sha256')
    .update(JSON.stringify({ layout: LAYOUT_VERSION, card, link, photo: photo?.sha256 ?? null }))
    .digest('hex');
  return { campaignId: campaign.id, slug: campaign.slug, key, card, link, photo };
}

/** The address of a campaign's share image, relative to Chorus's root; it changes whenever what the image shows does. */
export function shareImagePath(description: Pick<ShareImageDescription, 'slug' | 'key'>): string {
  return `c/${encodeURIComponent(description.slug)}/share-image.png?v=${description.key.slice(0, 16)}`;
}

/**
 * Serves share images: what each campaign's image would show is worked out at most once a second per campaign;
 * an image is rendered only when that changed (then kept in Postgres for every API process, and in this
 * process's memory), so a link shared widely costs a render per visible change, not per preview.
 */
export function createShareImageServer(db: Db, publicUrl: string) {
  const descriptions = createShortLivedCache(async (slug) => {
    const campaign = await findPublicCampaign(db, slug);
    return campaign === undefined ? undefined : describeShareImage(db, campaign, publicUrl);
  }, 1000);
  const rendered = new LRUCache<string, Buffer, ShareImageDescription>({
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (png) => png.length,
    fetchMethod: async (_key, _stale, { context }) => loadOrRender(db, context),
  });
  return async (slug: string, ifNoneMatch: (etag: string) => boolean): Promise<ServedShareImage> => {
    const description = await descriptions.read(slug);
    if (description === undefined) return { kind: 'not-found' };
    const etag = `"${description.key}"`;
    if (ifNoneMatch(etag)) return { kind: 'not-modified', etag };
    const png = await rendered.fetch(`${description.campaignId}:${description.key}`, { context: description });
    if (png === undefined) return { kind: 'not-found' };
    return { kind: 'image', etag, png };
  };
}

async function loadOrRender(db: Db, description: ShareImageDescription): Promise<Buffer> {
  const stored = await findShareImage(db, description.campaignId, description.key);
  if (stored !== undefined) return stored;
  const photoBytes =
    description.photo === null ? undefined : await findImageByHash(db, description.photo.sha256, description.photo.contentType);
  const photo =
    description.photo === null || photoBytes === undefined ? null : { contentType: description.photo.contentType, bytes: photoBytes.bytes };
  const png = await renderShareCard(description.card, photo, description.link).catch(async (error: unknown) => {
    // An image the upload check let through (it reads only the first bytes) may still not decode: the card goes without it.
    if (photo === null) throw error;
    return renderShareCard(description.card, null, description.link);
  });
  await saveShareImage(db, description.campaignId, description.key, png);
  return png;
}
