import { suggestedPostTextProblem } from '../../domain/suggested-post-rules.ts';
import { findOrganiserCampaign } from '../../storage/campaign.repository.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { changeSuggestedPost as updateSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

/** Rewrites a post of the organiser's campaign's share kit; invalid on `text`, not-found for another's campaign or post. */
export async function changeSuggestedPost(
  db: Db,
  organiserId: string,
  campaignId: string,
  postId: string,
  text: string,
): Promise<Outcome<SuggestedPost>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
  const problem = suggestedPostTextProblem(text);
  if (problem !== null) return invalid(problem, 'text');
  const changed = await updateSuggestedPost(db, campaign.id, postId, text.trim());
  return changed === undefined ? notFound('suggested post') : done(changed);
}
