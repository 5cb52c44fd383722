import { DateTime } from 'luxon';
import type { ChorusContext } from '../../chorus-context.ts';
import { hasLaunchStarted, isCampaignEditable } from '../../domain/campaign-state.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import type { AppPostingPlan } from '../../domain/post-budget.ts';
import { preflight } from '../../domain/preflight.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { readCampaignSeries } from '../../storage/campaign-minute.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { findCampaignAccount } from '../../storage/campaign-account.repository.ts';
import { countDeliveries, type DeliveryCounts } from '../../storage/delivery.repository.ts';
import { listDeliveryResults, type DeliveryResult } from '../../storage/delivery-result.repository.ts';
import type { NetworkHold } from '../../storage/network-hold.repository.ts';
import { countDeliveriesByNetwork, listNetworkTallies } from '../../storage/network-tally.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { displayHandle } from './account-handle.ts';
import { campaignOutcome, describeOutcome } from './campaign-outcome.ts';
import { networkPausesFor } from './network-pauses.ts';
import { postUrl } from './post-url.ts';

/** Rows of the results table sent to the page; the CSV export has every row. */
const RESULTS_SHOWN = 200;

/**
 * What a dashboard poll reads besides the campaign row: delivery counts (once launching), the paused networks and
 * the short link's visits. Each is a few rows at most.
 */
export interface DashboardReadings {
  readonly counts: DeliveryCounts | null;
  readonly holds: readonly NetworkHold[];
  readonly visits: number;
}

/** The counts (and paused networks) that change what the dashboard shows: when they are the same, nothing is sent. */
export function dashboardFingerprint(ctx: Pick<ChorusContext, 'networks'>, campaign: Campaign, readings: DashboardReadings): string {
  const pauses = networkPausesFor(ctx, campaign, readings.holds).map((pause) => pause.message);
  return JSON.stringify([
    campaign.state,
    campaign.supporter_count,
    campaign.reach,
    campaign.goal,
    campaign.launch_at.getTime(),
    campaign.supporters_erased_at?.getTime() ?? null,
    readings.counts,
    readings.visits,
    pauses,
  ]);
}

/**
 * What the dashboard's supporter list moves with, from the campaign row the poll reads anyway: a pledge, a
 * withdrawal, a renewal with a new follower count or an erasure before the launch changes the count or the reach;
 * the state decides the erase controls; the retention sweep sets `supporters_erased_at`.
 */
export function supportersVersionOf(campaign: Campaign): string {
  return [campaign.supporter_count, campaign.reach, campaign.state, campaign.supporters_erased_at?.getTime() ?? ''].join(':');
}

/** Delivery counts, for campaigns that have started launching. */
export function deliveryCountsFor(ctx: ChorusContext, campaign: Campaign): Promise<DeliveryCounts | null> {
  return hasLaunchStarted(campaign.state) ? countDeliveries(ctx.db, campaign.id) : Promise.resolve(null);
}

/** A network's display name, or its id where no module is registered for it. */
export function networkName(ctx: ChorusContext, id: NetworkId): string {
  return ctx.networks.outline(id)?.displayName ?? id;
}

/**
 * Everything the reach dashboard shows, as plain data: rendered on the server, then sent again over
 * SSE as it changes. `readings.holds` are the networks paused for the whole instance (X's credits ran out);
 * `locale` is the reader's, for the numbers inside the server's sentences.
 */
export async function dashboardSnapshot(ctx: ChorusContext, campaign: Campaign, readings: DashboardReadings, locale: string) {
  const { counts, holds, visits } = readings;
  const launched = counts !== null;
  // Repost mode's own post is made as the launch starts: read with the deliveries, so it shows live beside them.
  const readsCampaignPost = launched && campaign.networks.includes('x') && campaign.x_mode === 'repost';
  const [series, totals, top, results, deliveredByNetwork, campaignAccount] = await Promise.all([
    readCampaignSeries(ctx.db, campaign.id),
    listNetworkTallies(ctx.db, campaign.id),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10, 'organiser'),
    launched ? listDeliveryResults(ctx.db, campaign.id, RESULTS_SHOWN) : Promise.resolve([]),
    // From the deliveries' tallies (a few rows per network), so it follows the launch live.
    launched ? countDeliveriesByNetwork(ctx.db, campaign.id) : Promise.resolve([]),
    readsCampaignPost ? findCampaignAccount(ctx.db, campaign.id) : Promise.resolve(undefined),
  ]);
  const c = counts ?? { queued: 0, held: 0, claimed: 0, sent: 0, failed: 0, unknown: 0 };
  const waiting = c.queued + c.held + c.claimed + c.unknown;
  const total = waiting + c.sent + c.failed;
  // Every network the campaign posts to has a row, pledged on or not; the campaign's order is the organiser's.
  const networkIds = [...campaign.networks, ...totals.map((t) => t.network).filter((id) => !campaign.networks.includes(id))];
  return {
    state: campaign.state,
    // Whether the organiser may still change the campaign: the page hides its editing controls live when not.
    editable: isCampaignEditable(campaign.state),
    timeZone: campaign.time_zone,
    // The chart's time axis runs from the campaign's creation to its launch.
    openedAt: campaign.created_at.toISOString(),
    launchAt: campaign.launch_at.toISOString(),
    // The "Launches …" line, as the page writes it, so a moved launch time shows without a reload.
    launchTime: formatLaunchTime(campaign.launch_at, campaign.time_zone),
    // The supporter list (with its erase controls) is the page's to render: this says when to fetch it again.
    supportersVersion: supportersVersionOf(campaign),
    pauses: networkPausesFor(ctx, campaign, holds),
    outcome: describeOutcome(
      campaignOutcome(campaign.state, counts),
      campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone),
    ),
    supporters: campaign.supporter_count,
    goal: campaign.goal,
    percent: percentOfGoal(campaign.supporter_count, campaign.goal),
    reach: campaign.reach,
    shortLinkVisits: visits,
    series: series.map((p) => ({
      at: p.minute.toISOString(),
      label: DateTime.fromJSDate(p.minute, { zone: campaign.time_zone }).toFormat('d LLL HH:mm'),
      supporters: p.supporters,
      reach: p.reach,
    })),
    networks: networkIds.map((id) => {
      const tally = totals.find((t) => t.network === id) ?? { supporters: 0, reach: 0 };
      const network = ctx.networks.outline(id);
      const name = network?.displayName ?? id;
      return {
        id,
        name,
        supporters: tally.supporters,
        reach: tally.reach,
        reachShared: network?.sharesReach ?? true,
        ...preflightFor(network?.appPlan, name, tally.supporters, locale),
      };
    }),
    top: top.map((s) => ({
      handle: displayHandle(s.network, s.handle),
      network: networkName(ctx, s.network),
      reach: s.followers,
      shownPublicly: s.shownPublicly,
    })),
    delivery: launched
      ? { total, sent: c.sent, failed: c.failed, pending: waiting, done: total === 0 ? 0 : Math.floor(((c.sent + c.failed) * 100) / total) }
      : null,
    deliveryByNetwork: deliveredByNetwork.map((d) => ({
      name: networkName(ctx, d.network),
      sent: d.sent,
      failed: d.failed,
      waiting: d.pending + d.held + d.unknown,
    })),
    campaignPost: describeCampaignPost(campaignAccount),
    results: results.map((r) => resultRow(r, networkName(ctx, r.network))),
    resultsTruncated: results.length === RESULTS_SHOWN,
  };
}

export type DashboardSnapshot = Awaited<ReturnType<typeof dashboardSnapshot>>;

/**
 * A network's limits for the launch, as sentences: a network with an app-wide plan (X) counts
 * every post against the app's budget and charges for it; networks where each supporter posts
 * through their own account alone (Mastodon, Bluesky, LinkedIn) have no app-wide limit or price.
 */
function preflightFor(
  plan: AppPostingPlan | undefined,
  name: string,
  pledges: number,
  locale: string,
): { limit: string; cost: string; warning: string | null } {
  if (plan === undefined) return { limit: 'None app-wide: each supporter posts from their own account', cost: 'No charge', warning: null };
  const p = preflight(pledges, plan.budget.limit, plan.pricePerPost);
  const number = (n: number) => n.toLocaleString(locale);
  return {
    limit: `${number(p.dailyAllowance)} posts a day for the whole app`,
    cost: new Intl.NumberFormat(locale, { style: 'currency', currency: plan.currency }).format(p.estimatedCost),
    warning:
      p.overAllowance > 0
        ? `Preflight: ${number(pledges)} pledges on ${name}, but the app may post ${number(p.dailyAllowance)} a day. ${number(p.overAllowance)} ${p.overAllowance === 1 ? 'post' : 'posts'} would not go out at the launch time. Raise the app's plan or spread the campaign.`
        : null,
  };
}

/** The campaign's own post (repost mode) as a sentence on the dashboard: empty until it is made or has failed. */
export function describeCampaignPost(account: { post_state: 'none' | 'sent' | 'failed'; post_failure: string | null } | undefined): string {
  switch (account?.post_state) {
    case undefined:
    case 'none':
      return '';
    case 'sent':
      return 'Its campaign post was made.';
    case 'failed':
      return `Its campaign post failed: ${account.post_failure ?? 'no reason was given'}`;
  }
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
