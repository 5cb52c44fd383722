import type { ChorusContext } from '../../chorus-context.ts';
import { cancelLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaign } from '../../storage/campaign.repository.ts';
import { eraseCampaignCredentials } from '../../storage/credentials.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** Cancels a campaign before launch (an owner or editor): nothing is posted and supporters' access is erased. */
export async function cancelCampaign(ctx: ChorusContext, actor: OrganiserActor, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const moved = await moveCampaign(trx, campaign.id, 'cancelled', { ended_at: new Date() });
    if (moved !== undefined)
      await recordAudit(trx, actor, {
        action: 'campaign.cancelled',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        changes: { state: moved.state, from: campaign.state },
      });
    return moved;
  });
  if (updated === undefined) return conflict(`the campaign is ${campaign.state} and can no longer be cancelled`);
  await cancelLaunch(ctx.queues.launches, campaign.id);
  await eraseCampaignCredentials(ctx.db, campaign.id);
  return done(updated);
}
