import { suggestedPostLimits } from '../../domain/suggested-post-rules.ts';
import { findOrganiserCampaign } from '../../storage/campaign.repository.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { listSuggestedPosts as readSuggestedPosts } from '../../storage/suggested-post.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** The organiser's campaign's share kit, in the order the posts were added. */
export async function listSuggestedPosts(db: Db, organiserId: string, campaignId: string): Promise<Outcome<SuggestedPost[]>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
  return done(await readSuggestedPosts(db, campaign.id, suggestedPostLimits.maxPerCampaign));
}
