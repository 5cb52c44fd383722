import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignSuspendable } from '../../domain/campaign-state.ts';
import { cancelLaunch } from '../../jobs/launch-schedule.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import { moveCampaignAudited } from '../campaigns/move-campaign-audited.ts';
import { eraseCampaignCredentials } from '../../storage/credentials.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { deleteCampaignPendingPledges } from '../../storage/pending-pledge.repository.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator suspends a campaign before its launch: it stops collecting, its launch job goes, its page says the
 * instance withdrew it, and every grant its supporters gave is erased (as when a campaign is cancelled), with the
 * half-finished pledges. The pledges stay, so lifting the suspension restores the numbers, but each supporter must
 * authorise again for their post to go out (docs/operators.md). `along`: suspended on its own, or because its
 * organiser (the account) or its organisation was, whose reinstatement then lifts it.
 */
export async function suspendCampaign(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  along: 'alone' | 'organiser' | 'organisation' = 'alone',
): Promise<Outcome<Campaign>> {
  const campaign = await findCampaign(ctx.db, campaignId);
  if (campaign === undefined) return notFound('campaign');
  const from = campaign.state;
  switch (from) {
    case 'draft':
    case 'in_review':
    case 'collecting': {
      const suspended = await moveCampaignAudited(
        ctx.db,
        actor,
        campaign,
        {
          from,
          to: 'suspended',
          changes: {
            suspended_from: from,
            suspended_with_organiser: along === 'organiser',
            suspended_with_organisation: along === 'organisation',
          },
        },
        'campaign.suspended',
        { from, withOrganiser: along === 'organiser', withOrganisation: along === 'organisation' },
      );
      if (suspended === undefined) return conflict('the campaign changed meanwhile (its launch may have started); reload it');
      await cancelLaunch(ctx.queues.launches, campaign.id);
      await eraseCampaignCredentials(ctx.db, campaign.id);
      await deleteCampaignPendingPledges(ctx.db, campaign.id);
      return done(suspended);
    }
    case 'suspended':
    case 'launching':
    case 'launched':
    case 'missed_goal':
    case 'cancelled':
      return conflict(
        isCampaignSuspendable(from)
          ? 'the campaign changed meanwhile'
          : `the campaign is ${from}: only a campaign before its launch can be suspended`,
      );
  }
}
