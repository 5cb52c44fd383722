import type { Db } from '../../storage/database.ts';
import { deleteSuggestedPost as removeSuggestedPost } from '../../storage/suggested-post.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** Deletes a post from a campaign's share kit (an owner or editor); not-found for another organisation's campaign or post. */
export async function deleteSuggestedPost(db: Db, actor: OrganiserActor, campaignId: string, postId: string): Promise<Outcome<null>> {
  const found = await findMemberCampaign(db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  const removed = await db.transaction().execute(async (trx) => {
    const deleted = await removeSuggestedPost(trx, campaign.id, postId);
    if (deleted)
      await recordAudit(trx, actor, {
        action: 'campaign.suggested-post-deleted',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        subjectId: postId,
        changes: {},
      });
    return deleted;
  });
  return removed ? done(null) : notFound('suggested post');
}
