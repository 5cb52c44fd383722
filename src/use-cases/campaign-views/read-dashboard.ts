import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { findCampaignAccount } from '../../storage/campaign-account.repository.ts';
import { listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { listNetworkHolds } from '../../storage/network-hold.repository.ts';
import { countAccessExpiringBeforeLaunch } from '../../storage/network-tally.repository.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { dashboardSnapshot, deliveryCountsFor } from './dashboard-snapshot.ts';

/** Everything the organiser's reach dashboard shows when it loads: the live snapshot, the latest updates, the short link and the pledges at risk. */
export async function readDashboard(ctx: ChorusContext, campaign: Campaign) {
  const [counts, holds] = await Promise.all([deliveryCountsFor(ctx, campaign), listNetworkHolds(ctx.db)]);
  const [snapshot, updates, shortCode, expiring, xAccount] = await Promise.all([
    dashboardSnapshot(ctx, campaign, counts, holds),
    listCampaignUpdates(ctx.db, campaign.id, 5),
    ensureShortLink(ctx.db, campaign.id),
    // Read when the page loads, not on every live update: it looks at the campaign's grants.
    isCampaignEditable(campaign.state) ? countAccessExpiringBeforeLaunch(ctx.db, campaign.id) : Promise.resolve([]),
    campaign.networks.includes('x') ? findCampaignAccount(ctx.db, campaign.id) : Promise.resolve(undefined),
  ]);
  return { snapshot, updates, shortCode, expiring, xAccount };
}
