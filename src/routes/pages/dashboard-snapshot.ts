import { DateTime } from 'luxon';
import type { ChorusContext } from '../../chorus-context.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { preflight } from '../../domain/preflight.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { readCampaignSeries } from '../../storage/campaign-minute.repository.ts';
import { listNetworkTallies } from '../../storage/network-tally.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries, type DeliveryCounts } from '../../storage/delivery.repository.ts';
import { listDeliveryResults, type DeliveryResult } from '../../storage/delivery-result.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { shortLinkVisits } from '../../storage/short-link.repository.ts';
import { campaignOutcome, describeOutcome } from './campaign-outcome.ts';
import { postUrl } from './post-url.ts';

/** Rows of the results table sent to the page; the CSV export has every row. */
const RESULTS_SHOWN = 200;

/** The counts that change what the dashboard shows: when they are the same, nothing is sent. */
export function dashboardFingerprint(campaign: Campaign, counts: DeliveryCounts | null): string {
  return JSON.stringify([campaign.state, campaign.supporter_count, campaign.reach, campaign.goal, counts]);
}

/** Delivery counts, for campaigns that have started launching. */
export function deliveryCountsFor(ctx: ChorusContext, campaign: Campaign): Promise<DeliveryCounts | null> {
  return campaign.state === 'launching' || campaign.state === 'launched' ? countDeliveries(ctx.db, campaign.id) : Promise.resolve(null);
}

/** Everything the reach dashboard shows, as plain data: rendered on the server, then sent again over SSE as it changes. */
export async function dashboardSnapshot(ctx: ChorusContext, campaign: Campaign, counts: DeliveryCounts | null) {
  const launched = counts !== null;
  const [series, byNetwork, top, results, visits] = await Promise.all([
    readCampaignSeries(ctx.db, campaign.id),
    listNetworkTallies(ctx.db, campaign.id),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10),
    launched ? listDeliveryResults(ctx.db, campaign.id, RESULTS_SHOWN) : Promise.resolve([]),
    shortLinkVisits(ctx.db, campaign.id),
  ]);
  const c = counts ?? { queued: 0, claimed: 0, sent: 0, failed: 0, unknown: 0 };
  const total = c.queued + c.claimed + c.sent + c.failed + c.unknown;
  const networkName = (id: NetworkId) => ctx.networks.get(id)?.displayName ?? id;
  return {
    state: campaign.state,
    outcome: describeOutcome(campaignOutcome(campaign.state, counts), campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone)),
    supporters: campaign.supporter_count,
    goal: campaign.goal,
    percent: percentOfGoal(campaign.supporter_count, campaign.goal),
    reach: campaign.reach,
    shortLinkVisits: visits,
    series: series.map((p) => ({ label: DateTime.fromJSDate(p.minute, { zone: campaign.time_zone }).toFormat('d LLL HH:mm'), supporters: p.supporters, reach: p.reach })),
    networks: byNetwork.map((n) => ({
      name: networkName(n.network),
      supporters: n.supporters,
      reach: n.reach,
      preflight: preflightFor(ctx, n.network, n.supporters),
    })),
    top: top.map((s) => ({ handle: s.handle, network: networkName(s.network), reach: s.followers })),
    delivery: launched ? { total, sent: c.sent, failed: c.failed, pending: c.queued + c.claimed + c.unknown, done: total === 0 ? 0 : Math.floor(((c.sent + c.failed) * 100) / total) } : null,
    results: results.map((r) => resultRow(r, networkName(r.network))),
    resultsTruncated: results.length === RESULTS_SHOWN,
  };
}

export type DashboardSnapshot = Awaited<ReturnType<typeof dashboardSnapshot>>;

function preflightFor(ctx: ChorusContext, network: NetworkId, pledges: number) {
  // Each network's app allowance and price per post, from configuration.
  // Mastodon, Bluesky and LinkedIn posts go through each supporter's own account, with no app-wide cap or price.
  const limits: Record<NetworkId, { allowance: number; price: number }> = {
    x: { allowance: ctx.config.X_APP_POST_BUDGET, price: ctx.config.X_POST_PRICE },
    mastodon: { allowance: Number.POSITIVE_INFINITY, price: 0 },
    bluesky: { allowance: Number.POSITIVE_INFINITY, price: 0 },
    linkedin: { allowance: Number.POSITIVE_INFINITY, price: 0 },
  };
  const p = preflight(pledges, limits[network].allowance, limits[network].price);
  return { ...p, cost: new Intl.NumberFormat('en-GB', { style: 'currency', currency: ctx.config.PRICE_CURRENCY }).format(p.estimatedCost) };
}

/** One row of the results table (and of the CSV export). */
export function resultRow(r: DeliveryResult, networkName: string) {
  return {
    handle: r.handle,
    network: networkName,
    reach: r.followers,
    state: r.state,
    postUrl: r.postId === null ? null : postUrl(r.network, r.handle, r.postId),
    reason: r.failureReason ?? '',
    sentAt: r.sentAt?.toISOString() ?? '',
  };
}
