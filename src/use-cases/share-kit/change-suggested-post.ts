import { suggestedPostTextProblem } from '../../domain/suggested-post-rules.ts';
import type { Db, SuggestedPost } from '../../storage/database.ts';
import { changeSuggestedPost as updateSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

/** Rewrites a post of a campaign's share kit (an owner or editor); invalid on `text`, not-found for another organisation's campaign or post. */
export async function changeSuggestedPost(
  db: Db,
  actor: OrganiserActor,
  campaignId: string,
  postId: string,
  text: string,
): Promise<Outcome<SuggestedPost>> {
  const found = await findMemberCampaign(db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  const problem = suggestedPostTextProblem(text);
  if (problem !== null) return invalid(problem, 'text');
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await updateSuggestedPost(trx, campaign.id, postId, text.trim());
    if (updated !== undefined)
      await recordAudit(trx, actor, {
        action: 'campaign.suggested-post-changed',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        subjectId: updated.id,
        changes: {},
      });
    return updated;
  });
  return changed === undefined ? notFound('suggested post') : done(changed);
}
