import type { ChorusContext } from '../../chorus-context.ts';
import { cancelLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaignAudited } from './move-campaign-audited.ts';
import { eraseCampaignCredentials } from '../../storage/credentials.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** Cancels a campaign before launch (an owner or editor): nothing is posted and supporters' access is erased. */
export async function cancelCampaign(ctx: ChorusContext, actor: OrganiserActor, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  const updated = await moveCampaignAudited(
    ctx.db,
    actor,
    campaign,
    { to: 'cancelled', changes: { ended_at: new Date() } },
    'campaign.cancelled',
    { from: campaign.state },
  );
  if (updated === undefined) return conflict(`the campaign is ${campaign.state} and can no longer be cancelled`);
  await cancelLaunch(ctx.queues.launches, campaign.id);
  await eraseCampaignCredentials(ctx.db, campaign.id);
  return done(updated);
}
