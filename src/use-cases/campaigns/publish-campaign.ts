import type { ChorusContext } from '../../chorus-context.ts';
import { checkLaunchWindow } from '../../domain/launch-time.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** Opens a draft to supporters and schedules its launch (an owner or editor). */
export async function publishCampaign(ctx: ChorusContext, actor: OrganiserActor, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  if (campaign.state !== 'draft') return conflict(`the campaign is already ${campaign.state}`);
  const problem = checkLaunchWindow(campaign.launch_at, new Date());
  if (problem !== null) return invalid(`${problem}; move it first`, 'launchAt');
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const moved = await moveCampaign(trx, campaign.id, 'collecting');
    if (moved !== undefined)
      await recordAudit(trx, actor, {
        action: 'campaign.published',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        changes: { state: moved.state },
      });
    return moved;
  });
  if (updated === undefined) return conflict('the campaign changed meanwhile; reload it');
  await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  return done(updated);
}
