import { readCampaignPost, type StoredCampaignPost } from '../storage/campaign-account.repository.ts';
import type { Db } from '../storage/database.ts';

/** The campaign's own post (repost mode) as the reposts need it; undefined when no account was connected. */
export type CampaignPostReader = (campaignId: string) => Promise<StoredCampaignPost | undefined>;

/**
 * Reads the campaign's own post from Postgres, keeping the decided ones: a post once made or
 * given up never changes, and every repost of a launch asks for the same one.
 */
export function createCampaignPostReader(db: Db): CampaignPostReader {
  const decided = new Map<string, Exclude<StoredCampaignPost, { kind: 'not-made' }>>();
  return async (campaignId) => {
    const kept = decided.get(campaignId);
    if (kept !== undefined) return kept;
    const post = await readCampaignPost(db, campaignId);
    switch (post?.kind) {
      case 'sent':
      case 'failed':
        decided.set(campaignId, post);
        return post;
      case 'not-made':
      case undefined:
        return post;
    }
  };
}
