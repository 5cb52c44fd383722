import { shareLinks, textToShare, type ShareLink } from '../../domain/share-links.ts';
import { suggestedPostLimits } from '../../domain/suggested-post-rules.ts';
import type { Campaign, Db, SuggestedPost } from '../../storage/database.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { listSuggestedPosts } from '../../storage/suggested-post.repository.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** One text to share, with a link for each network; the text itself is for copying, and for Mastodon's instance form. */
export interface ShareKitPost {
  readonly text: string;
  readonly links: readonly ShareLink[];
}

/** What the share links partial shows: the organiser's suggested posts, or one line of the campaign's own when there are none. */
export interface ShareKitView {
  readonly shortUrl: string;
  readonly suggested: boolean;
  readonly posts: readonly ShareKitPost[];
}

/** The campaign's share kit for its public pages: each suggested post with share links carrying its text and the short link. */
export async function shareKitView(db: Db, campaign: Pick<Campaign, 'id' | 'title'>, publicUrl: string): Promise<ShareKitView> {
  const [suggested, code] = await Promise.all([listShareKitPosts(db, campaign.id), ensureShortLink(db, campaign.id)]);
  return shareKitOf(campaign, suggested, code, publicUrl);
}

/** Reads the campaign's suggested posts for its share kit (at most as many as a campaign may have). */
export function listShareKitPosts(db: Db, campaignId: string): Promise<readonly Pick<SuggestedPost, 'body'>[]> {
  return listSuggestedPosts(db, campaignId, suggestedPostLimits.maxPerCampaign);
}

/** The share kit from the suggested posts and the short code already read. */
export function shareKitOf(
  campaign: Pick<Campaign, 'title'>,
  suggested: readonly Pick<SuggestedPost, 'body'>[],
  shortCode: string,
  publicUrl: string,
): ShareKitView {
  const shortUrl = new URL(`s/${shortCode}`, withTrailingSlash(publicUrl)).toString();
  const texts = suggested.length > 0 ? suggested.map((p) => p.body) : [`${campaign.title}: add your voice.`];
  return {
    shortUrl,
    suggested: suggested.length > 0,
    posts: texts.map((text) => ({ text: textToShare(text, shortUrl), links: shareLinks(text, shortUrl, campaign.title) })),
  };
}
