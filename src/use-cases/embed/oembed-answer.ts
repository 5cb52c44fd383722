import { oembedTarget, thumbnailFits, thumbnailSize, widgetIframe, widgetSize, widgetSizeWithin } from '../../domain/oembed.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';
import { findShortLinkSlug } from '../../storage/short-link.repository.ts';
import { readShareImageFacts, shareImageDescription, shareImagePath } from '../share-image/share-image.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** An oEmbed 1.0 answer of type `rich`: the campaign's widget as an iframe (https://oembed.com/, section 2.3.4). */
export interface OEmbedRich {
  readonly version: '1.0';
  readonly type: 'rich';
  readonly html: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly author_name: string;
  readonly provider_name: 'Chorus';
  readonly provider_url: string;
  readonly cache_age: number;
  readonly thumbnail_url?: string;
  readonly thumbnail_width?: number;
  readonly thumbnail_height?: number;
}

/** What an oEmbed consumer asked for. */
export interface OEmbedRequest {
  readonly url: string;
  readonly maxwidth?: number;
  readonly maxheight?: number;
}

// Consumers may keep the answer for an hour: the iframe shows live figures, and the title rarely changes.
const CACHE_AGE_SECONDS = 3600;

/** The oEmbed answer for a campaign page or short link of this Chorus; not-found for any other address. */
export async function oembedAnswer(db: Db, request: OEmbedRequest, publicUrl: string): Promise<Outcome<OEmbedRich>> {
  const target = oembedTarget(request.url, publicUrl);
  if (target === null) return notFound('campaign at that address');
  const slug = target.kind === 'campaign' ? target.slug : await findShortLinkSlug(db, target.code);
  const campaign = slug === undefined ? undefined : await findPublicCampaign(db, slug);
  if (campaign === undefined) return notFound('campaign at that address');
  const size = widgetSizeWithin(request.maxwidth, request.maxheight);
  if (size === null) return invalid(`the widget needs at least ${widgetSize.minWidth} × ${widgetSize.minHeight} pixels`, 'maxwidth');
  const base = withTrailingSlash(publicUrl);
  // The author is the organisation the share image names: read once for both.
  const facts = await readShareImageFacts(db, campaign);
  const image = shareImageDescription(campaign, facts, publicUrl);
  const embedUrl = new URL(`c/${encodeURIComponent(campaign.slug)}/embed`, base).toString();
  return done({
    version: '1.0',
    type: 'rich',
    html: widgetIframe(embedUrl, campaign.title, size),
    ...size,
    title: campaign.title,
    author_name: facts.organisationName,
    provider_name: 'Chorus',
    provider_url: base,
    cache_age: CACHE_AGE_SECONDS,
    ...(thumbnailFits(request.maxwidth, request.maxheight)
      ? {
          thumbnail_url: new URL(shareImagePath(image), base).toString(),
          thumbnail_width: thumbnailSize.width,
          thumbnail_height: thumbnailSize.height,
        }
      : {}),
  });
}
