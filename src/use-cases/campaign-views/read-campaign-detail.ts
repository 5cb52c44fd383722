import type { ChorusContext } from '../../chorus-context.ts';
import { findCampaignAccount } from '../../storage/campaign-account.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries } from '../../storage/delivery.repository.ts';
import { listNetworkHolds } from '../../storage/network-hold.repository.ts';
import { countAccessExpiringBeforeLaunch, countDeliveriesByNetwork } from '../../storage/network-tally.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { networkPausesFor } from './network-pauses.ts';

/** A campaign of one of the organiser's organisations with its delivery counts (per network too), the pledges at risk, its own X account, and its paused networks. */
export async function readCampaignDetail(ctx: ChorusContext, organiserId: string, campaignId: string) {
  const found = await findMemberCampaign(ctx.db, organiserId, campaignId, 'read-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  const [deliveries, deliveriesByNetwork, accessExpiringBeforeLaunch, xAccount, holds] = await Promise.all([
    countDeliveries(ctx.db, campaign.id),
    countDeliveriesByNetwork(ctx.db, campaign.id),
    countAccessExpiringBeforeLaunch(ctx.db, campaign.id),
    findCampaignAccount(ctx.db, campaign.id),
    listNetworkHolds(ctx.db),
  ]);
  const detail = {
    campaign,
    deliveries,
    deliveriesByNetwork,
    accessExpiringBeforeLaunch,
    xAccount: xAccount ?? null,
    pauses: networkPausesFor(ctx, campaign, holds),
  };
  return done(detail) satisfies Outcome<typeof detail>;
}
