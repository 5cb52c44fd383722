import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { findCampaignAccount } from '../../storage/campaign-account.repository.ts';
import { listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countAccessExpiringBeforeLaunch } from '../../storage/network-tally.repository.ts';
import { listCampaignSupporters } from '../../storage/pledge.repository.ts';
import { ensureShortLinkRow } from '../../storage/short-link.repository.ts';
import { shareToolsOf } from '../share-kit/share-tools-view.ts';
import { dashboardSnapshot } from './dashboard-snapshot.ts';
import { readDashboardReadings } from './read-live-dashboard.ts';

/** How many supporters the dashboard's supporter list shows. */
const SUPPORTERS_LISTED = 50;

/**
 * Everything the organiser's reach dashboard shows when it loads: the live snapshot, the latest updates, the short
 * link and its share tools, the pledges at risk, and the supporter list (the latest, or those whose handle contains `supporterSearch`)
 * where a supporter who asks can be erased. `locale` is the reader's, for the numbers in the server's sentences.
 */
export async function readDashboard(ctx: ChorusContext, campaign: Campaign, locale: string, supporterSearch?: string) {
  // The short link first, read once: its visits are among the readings, and its code is in the share tools.
  const shortLink = await ensureShortLinkRow(ctx.db, campaign.id);
  const readings = await readDashboardReadings(ctx, campaign, shortLink.visits);
  const [snapshot, updates, expiring, xAccount, supporters] = await Promise.all([
    dashboardSnapshot(ctx, campaign, readings, locale),
    listCampaignUpdates(ctx.db, campaign.id, 5),
    // Read when the page loads, not on every live update: it looks at the campaign's grants.
    isCampaignEditable(campaign.state) ? countAccessExpiringBeforeLaunch(ctx.db, campaign.id) : Promise.resolve([]),
    campaign.networks.includes('x') ? findCampaignAccount(ctx.db, campaign.id) : Promise.resolve(undefined),
    listCampaignSupporters(ctx.db, campaign.id, {
      limit: SUPPORTERS_LISTED,
      ...(supporterSearch === undefined ? {} : { handle: supporterSearch }),
    }),
  ]);
  return {
    snapshot,
    updates,
    shareTools: shareToolsOf(campaign, shortLink.code, ctx.config.PUBLIC_URL),
    expiring,
    xAccount,
    supporters,
    supportersListed: SUPPORTERS_LISTED,
  };
}
