import type { ChorusContext } from '../../chorus-context.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { listNetworkHolds } from '../../storage/network-hold.repository.ts';
import { shortLinkVisits } from '../../storage/short-link.repository.ts';
import {
  dashboardFingerprint,
  dashboardSnapshot,
  deliveryCountsFor,
  type DashboardReadings,
  type DashboardSnapshot,
} from './dashboard-snapshot.ts';

/** What an open dashboard's poll finds: the campaign gone, nothing new since `lastFingerprint`, or a new snapshot. */
export type LiveDashboard =
  | { readonly kind: 'gone' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly fingerprint: string; readonly snapshot: DashboardSnapshot };

/**
 * The small reads beside the campaign row that a dashboard follows: delivery counts, paused networks, short-link
 * visits (unless the caller read them with the short link already: `knownVisits`).
 */
export async function readDashboardReadings(ctx: ChorusContext, campaign: Campaign, knownVisits?: number): Promise<DashboardReadings> {
  const [counts, holds, visits] = await Promise.all([
    deliveryCountsFor(ctx, campaign),
    listNetworkHolds(ctx.db),
    knownVisits ?? shortLinkVisits(ctx.db, campaign.id),
  ]);
  return { counts, holds, visits };
}

/**
 * One poll of an open dashboard: one primary-key read of the campaign row, the paused networks (a few rows at
 * most) and the short link's visits (by its unique campaign key), and the snapshot only when its numbers, the
 * visits or the pauses changed. `locale` is the reader's, for the numbers in the server's sentences.
 */
export async function readLiveDashboard(
  ctx: ChorusContext,
  campaignId: string,
  lastFingerprint: string,
  locale: string,
): Promise<LiveDashboard> {
  const campaign = await findCampaign(ctx.db, campaignId);
  if (campaign === undefined) return { kind: 'gone' };
  const readings = await readDashboardReadings(ctx, campaign);
  const fingerprint = dashboardFingerprint(ctx, campaign, readings);
  if (fingerprint === lastFingerprint) return { kind: 'unchanged' };
  return { kind: 'changed', fingerprint, snapshot: await dashboardSnapshot(ctx, campaign, readings, locale) };
}
