import { suggestedPostLimits, suggestedPostTextProblem } from '../../domain/suggested-post-rules.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { addSuggestedPost as insertSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';

/** Adds a post to a campaign's share kit (an owner or editor); invalid on `text`, conflict when the kit is full. */
export async function addSuggestedPost(db: Db, actor: OrganiserActor, campaignId: string, text: string): Promise<Outcome<SuggestedPost>> {
  const found = await findMemberCampaign(db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  const problem = suggestedPostTextProblem(text);
  if (problem !== null) return invalid(problem, 'text');
  const added = await db.transaction().execute(async (trx) => {
    const inserted = await insertSuggestedPost(trx, campaign.id, text.trim(), suggestedPostLimits.maxPerCampaign);
    if (inserted !== undefined)
      await recordAudit(trx, actor, {
        action: 'campaign.suggested-post-added',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        subjectId: inserted.id,
        changes: {},
      });
    return inserted;
  });
  if (added === undefined)
    return conflict(`a campaign has at most ${suggestedPostLimits.maxPerCampaign} suggested posts: delete one first`, 'text');
  return done(added);
}
