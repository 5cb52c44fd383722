import { isCampaignPublic } from '../../domain/campaign-state.ts';
import { widgetIframe, widgetSize } from '../../domain/oembed.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** What the organiser's share tools show: the short link, its QR code's downloads, and the widget's copy-paste code. */
export interface ShareToolsView {
  readonly campaignId: string;
  readonly shortUrl: string;
  readonly qrSvgPath: string;
  readonly qrPngPath: string;
  readonly widgetSnippet: string;
  readonly embedUrl: string;
  readonly shareKitPath: string;
  readonly isPublic: boolean;
  /** Waiting for an operator's review: not public yet, and not the organiser's to open. */
  readonly inReview: boolean;
}

/** The share tools of one of the organiser's campaigns (the caller has checked it is theirs). */
export async function shareToolsView(
  db: Db,
  campaign: Pick<Campaign, 'id' | 'slug' | 'title' | 'state'>,
  publicUrl: string,
): Promise<ShareToolsView> {
  return shareToolsOf(campaign, await ensureShortLink(db, campaign.id), publicUrl);
}

/** The share tools from the short code already read. */
export function shareToolsOf(
  campaign: Pick<Campaign, 'id' | 'slug' | 'title' | 'state'>,
  shortCode: string,
  publicUrl: string,
): ShareToolsView {
  const base = withTrailingSlash(publicUrl);
  const embedUrl = new URL(`c/${encodeURIComponent(campaign.slug)}/embed`, base).toString();
  return {
    campaignId: campaign.id,
    shortUrl: new URL(`s/${shortCode}`, base).toString(),
    qrSvgPath: `/organiser/campaigns/${campaign.id}/qr.svg`,
    qrPngPath: `/organiser/campaigns/${campaign.id}/qr.png`,
    widgetSnippet: widgetIframe(embedUrl, campaign.title, widgetSize),
    embedUrl,
    shareKitPath: `/organiser/campaigns/${campaign.id}/share-kit`,
    // A campaign in review is not public either: its link answers 404 until an operator approves it.
    isPublic: isCampaignPublic(campaign.state),
    inReview: campaign.state === 'in_review',
  };
}
