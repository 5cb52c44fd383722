import { suggestedPostLimits, suggestedPostTextProblem } from '../../domain/suggested-post-rules.ts';
import { findOrganiserCampaign } from '../../storage/campaign.repository.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { addSuggestedPost as insertSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { conflict, done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

/** Adds a post to the organiser's campaign's share kit; invalid on `text`, conflict when the kit is full. */
export async function addSuggestedPost(db: Db, organiserId: string, campaignId: string, text: string): Promise<Outcome<SuggestedPost>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
  const problem = suggestedPostTextProblem(text);
  if (problem !== null) return invalid(problem, 'text');
  const added = await insertSuggestedPost(db, campaign.id, text.trim(), suggestedPostLimits.maxPerCampaign);
  if (added === undefined)
    return conflict(`a campaign has at most ${suggestedPostLimits.maxPerCampaign} suggested posts: delete one first`, 'text');
  return done(added);
}
