import type { ChorusContext } from '../../chorus-context.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import { listNetworkHolds } from '../../storage/network-hold.repository.ts';
import { dashboardFingerprint, dashboardSnapshot, deliveryCountsFor, type DashboardSnapshot } from './dashboard-snapshot.ts';

/** What an open dashboard's poll finds: the campaign gone, nothing new since `lastFingerprint`, or a new snapshot. */
export type LiveDashboard =
  | { readonly kind: 'gone' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly fingerprint: string; readonly snapshot: DashboardSnapshot };

/**
 * One poll of an open dashboard: one primary-key read of the campaign row and a read of the paused
 * networks (a few rows at most), and the snapshot only when its numbers or the pauses changed.
 */
export async function readLiveDashboard(ctx: ChorusContext, campaignId: string, lastFingerprint: string): Promise<LiveDashboard> {
  const campaign = await findCampaign(ctx.db, campaignId);
  if (campaign === undefined) return { kind: 'gone' };
  const [counts, holds] = await Promise.all([deliveryCountsFor(ctx, campaign), listNetworkHolds(ctx.db)]);
  const fingerprint = dashboardFingerprint(ctx, campaign, counts, holds);
  if (fingerprint === lastFingerprint) return { kind: 'unchanged' };
  return { kind: 'changed', fingerprint, snapshot: await dashboardSnapshot(ctx, campaign, counts, holds) };
}
