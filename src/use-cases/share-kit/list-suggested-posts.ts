import { suggestedPostLimits } from '../../domain/suggested-post-rules.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { listSuggestedPosts as readSuggestedPosts } from '../../storage/suggested-post.repository.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** A campaign's share kit, in the order the posts were added (any member of its organisation). */
export async function listSuggestedPosts(db: Db, organiserId: string, campaignId: string): Promise<Outcome<SuggestedPost[]>> {
  const found = await findMemberCampaign(db, organiserId, campaignId, 'read-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  return done(await readSuggestedPosts(db, campaign.id, suggestedPostLimits.maxPerCampaign));
}
