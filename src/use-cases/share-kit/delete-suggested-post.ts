import { findOrganiserCampaign } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';
import { deleteSuggestedPost as removeSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** Deletes a post from the organiser's campaign's share kit; not-found for another's campaign or post. */
export async function deleteSuggestedPost(db: Db, organiserId: string, campaignId: string, postId: string): Promise<Outcome<null>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
  return (await removeSuggestedPost(db, campaign.id, postId)) ? done(null) : notFound('suggested post');
}
