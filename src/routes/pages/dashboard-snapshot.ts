import { DateTime } from 'luxon';
import type { ChorusContext } from '../../chorus-context.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { preflight } from '../../domain/preflight.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { readCampaignSeries } from '../../storage/campaign-minute.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries, type DeliveryCounts } from '../../storage/delivery.repository.ts';
import { listDeliveryResults, type DeliveryResult } from '../../storage/delivery-result.repository.ts';
import { countDeliveriesByNetwork, listNetworkTallies } from '../../storage/network-tally.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { shortLinkVisits } from '../../storage/short-link.repository.ts';
import { displayHandle } from './account-handle.ts';
import { campaignOutcome, describeOutcome } from './campaign-outcome.ts';
import { postUrl } from './post-url.ts';

/** Rows of the results table sent to the page; the CSV export has every row. */
const RESULTS_SHOWN = 200;

// Networks whose consent gives Chorus no follower count (LinkedIn's member scopes): their reach reads 0.
const reachNotShared: ReadonlySet<string> = new Set<NetworkId>(['linkedin']);

/** The counts that change what the dashboard shows: when they are the same, nothing is sent. */
export function dashboardFingerprint(campaign: Campaign, counts: DeliveryCounts | null): string {
  return JSON.stringify([campaign.state, campaign.supporter_count, campaign.reach, campaign.goal, counts]);
}

/** Delivery counts, for campaigns that have started launching. */
export function deliveryCountsFor(ctx: ChorusContext, campaign: Campaign): Promise<DeliveryCounts | null> {
  return campaign.state === 'launching' || campaign.state === 'launched' ? countDeliveries(ctx.db, campaign.id) : Promise.resolve(null);
}

/** A network's display name, or its id where no module is registered for it. */
export function networkName(ctx: ChorusContext, id: string): string {
  return ctx.networks.get(id as NetworkId)?.displayName ?? id;
}

/** Everything the reach dashboard shows, as plain data: rendered on the server, then sent again over SSE as it changes. */
export async function dashboardSnapshot(ctx: ChorusContext, campaign: Campaign, counts: DeliveryCounts | null) {
  const launched = counts !== null;
  const [series, totals, top, results, visits, deliveredByNetwork] = await Promise.all([
    readCampaignSeries(ctx.db, campaign.id),
    listNetworkTallies(ctx.db, campaign.id),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10),
    launched ? listDeliveryResults(ctx.db, campaign.id, RESULTS_SHOWN) : Promise.resolve([]),
    shortLinkVisits(ctx.db, campaign.id),
    // Counted once every post is decided: it joins each delivery to its account, too much to redo every second of a launch.
    campaign.state === 'launched' ? countDeliveriesByNetwork(ctx.db, campaign.id) : Promise.resolve([]),
  ]);
  const c = counts ?? { queued: 0, held: 0, claimed: 0, sent: 0, failed: 0, unknown: 0 };
  const waiting = c.queued + c.held + c.claimed + c.unknown;
  const total = waiting + c.sent + c.failed;
  // Every network the campaign posts to has a row, pledged on or not; the campaign's order is the organiser's.
  const networkIds = [...campaign.networks, ...totals.map((t) => t.network).filter((id) => !campaign.networks.includes(id))];
  return {
    state: campaign.state,
    outcome: describeOutcome(campaignOutcome(campaign.state, counts), campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone)),
    supporters: campaign.supporter_count,
    goal: campaign.goal,
    percent: percentOfGoal(campaign.supporter_count, campaign.goal),
    reach: campaign.reach,
    shortLinkVisits: visits,
    series: series.map((p) => ({ label: DateTime.fromJSDate(p.minute, { zone: campaign.time_zone }).toFormat('d LLL HH:mm'), supporters: p.supporters, reach: p.reach })),
    networks: networkIds.map((id) => {
      const tally = totals.find((t) => t.network === id) ?? { supporters: 0, reach: 0 };
      const name = networkName(ctx, id);
      return { id, name, supporters: tally.supporters, reach: tally.reach, reachShared: !reachNotShared.has(id), ...preflightFor(ctx, id, name, tally.supporters) };
    }),
    top: top.map((s) => ({ handle: displayHandle(s.network, s.handle), network: networkName(ctx, s.network), reach: s.followers })),
    delivery: launched ? { total, sent: c.sent, failed: c.failed, pending: waiting, done: total === 0 ? 0 : Math.floor(((c.sent + c.failed) * 100) / total) } : null,
    deliveryByNetwork: deliveredByNetwork.map((d) => ({ name: networkName(ctx, d.network), sent: d.sent, failed: d.failed, waiting: d.pending + d.held + d.unknown })),
    results: results.map((r) => resultRow(r, networkName(ctx, r.network))),
    resultsTruncated: results.length === RESULTS_SHOWN,
  };
}

export type DashboardSnapshot = Awaited<ReturnType<typeof dashboardSnapshot>>;

/**
 * A network's limits for the launch, as sentences: X counts every post against the app's daily
 * budget and charges for it; networks where each supporter posts through their own account
 * alone (Mastodon, LinkedIn, and any other) have no app-wide limit or price.
 */
function preflightFor(ctx: ChorusContext, id: string, name: string, pledges: number): { limit: string; cost: string; warning: string | null } {
  if (id !== 'x') return { limit: 'None app-wide: each supporter posts from their own account', cost: 'No charge', warning: null };
  const p = preflight(pledges, ctx.config.X_APP_POST_BUDGET, ctx.config.X_POST_PRICE);
  const number = (n: number) => n.toLocaleString('en-GB');
  return {
    limit: `${number(p.dailyAllowance)} posts a day for the whole app`,
    cost: new Intl.NumberFormat('en-GB', { style: 'currency', currency: ctx.config.PRICE_CURRENCY }).format(p.estimatedCost),
    warning:
      p.overAllowance > 0
        ? `Preflight: ${number(pledges)} pledges on ${name}, but the app may post ${number(p.dailyAllowance)} a day. ${number(p.overAllowance)} ${p.overAllowance === 1 ? 'post' : 'posts'} would not go out at the launch time. Raise the app's plan or spread the campaign.`
        : null,
  };
}

/** One row of the results table (and of the CSV export): `handle` as stored, `shownHandle` as the pages show it. */
export function resultRow(r: DeliveryResult, networkDisplayName: string) {
  return {
    handle: r.handle,
    shownHandle: displayHandle(r.network, r.handle),
    network: networkDisplayName,
    reach: r.followers,
    state: r.state,
    postUrl: r.postId === null ? null : postUrl(r.network, r, r.postId),
    reason: r.failureReason ?? '',
    sentAt: r.sentAt?.toISOString() ?? '',
  };
}
