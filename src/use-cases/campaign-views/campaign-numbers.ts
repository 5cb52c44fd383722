import Type, { type Static } from 'typebox';
import { campaignStates, hasLaunchStarted, isCampaignEnded } from '../../domain/campaign-state.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { launchLateness } from '../../domain/launch-lateness.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { networkIds } from '../../networks/network-id.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';
import { countDeliveries } from '../../storage/delivery.repository.ts';
import { listNetworkTallies } from '../../storage/network-tally.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { createShortLivedCache, type ShortLivedCache } from './short-lived-cache.ts';

/** A supporter as the public sees them. */
export const PublicSupporterSchema = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  network: Type.Enum(networkIds),
  reach: Type.Integer(),
  pledgedAt: Type.String({ format: 'date-time' }),
});
export type PublicSupporter = Static<typeof PublicSupporterSchema>;

/** Everything the public may know of a campaign. */
export const CampaignNumbersSchema = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  message: Type.String(),
  variants: Type.Array(Type.String()),
  link: Type.String(),
  networks: Type.Array(Type.Enum(networkIds)),
  state: Type.Enum(campaignStates),
  supporters: Type.Integer(),
  goal: Type.Integer(),
  percentOfGoal: Type.Integer(),
  reach: Type.Integer({ description: 'the sum of supporters\' followers, "no fancy math"' }),
  byNetwork: Type.Array(Type.Object({ network: Type.Enum(networkIds), supporters: Type.Integer(), reach: Type.Integer() }), {
    description: 'supporters and reach on each network (LinkedIn tells Chorus no follower counts, so its reach is 0)',
  }),
  launchAt: Type.String({ format: 'date-time' }),
  launchAtLocal: Type.String(),
  topSupporters: Type.Array(PublicSupporterSchema, { description: 'largest reach first' }),
  recentSupporters: Type.Array(PublicSupporterSchema),
  launch: Type.Union([
    Type.Object(
      {
        startedAt: Type.String({ format: 'date-time', description: 'when the release began' }),
        lateBySeconds: Type.Integer({
          description: 'how long after the launch time the release began (no worker was running, for instance)',
        }),
        late: Type.Boolean({ description: 'true when it began more than a minute late' }),
      },
      { description: 'once the release has begun' },
    ),
    Type.Null(),
  ]),
  deliveries: Type.Union([
    Type.Object(
      {
        sent: Type.Integer(),
        failed: Type.Integer(),
        pending: Type.Integer({ description: 'waiting, being posted, or being checked' }),
        held: Type.Integer({ description: "waiting for the app's daily posting budget to renew" }),
      },
      { description: 'after launch' },
    ),
    Type.Null(),
  ]),
});
export type CampaignNumbers = Static<typeof CampaignNumbersSchema>;

/** Reads a campaign's public numbers from the counters and two index-ordered lists; undefined for drafts and unknown slugs. */
export async function readCampaignNumbers(db: Db, slug: string): Promise<CampaignNumbers | undefined> {
  const campaign = await findPublicCampaign(db, slug);
  if (campaign === undefined) return undefined;
  const launchedOrLaunching = hasLaunchStarted(campaign.state);
  const [top, recent, byNetwork, counts] = await Promise.all([
    listSupporters(db, campaign.id, 'largest-reach', 10, 'public'),
    listSupporters(db, campaign.id, 'most-recent', 10, 'public'),
    listNetworkTallies(db, campaign.id),
    launchedOrLaunching ? countDeliveries(db, campaign.id) : null,
  ]);
  const toPublic = (s: (typeof top)[number]): PublicSupporter => ({
    handle: s.handle,
    displayName: s.displayName,
    network: s.network,
    reach: s.followers,
    pledgedAt: s.pledgedAt.toISOString(),
  });
  return {
    slug: campaign.slug,
    title: campaign.title,
    description: campaign.description,
    message: campaign.message,
    variants: campaign.variants,
    link: campaign.link,
    networks: campaign.networks,
    state: campaign.state,
    supporters: campaign.supporter_count,
    goal: campaign.goal,
    percentOfGoal: percentOfGoal(campaign.supporter_count, campaign.goal),
    reach: campaign.reach,
    byNetwork,
    launchAt: campaign.launch_at.toISOString(),
    launchAtLocal: formatLaunchTime(campaign.launch_at, campaign.time_zone),
    topSupporters: top.map(toPublic),
    recentSupporters: recent.map(toPublic),
    launch:
      campaign.launch_started_at === null
        ? null
        : { startedAt: campaign.launch_started_at.toISOString(), ...launchLateness(campaign.launch_at, campaign.launch_started_at) },
    deliveries:
      counts === null
        ? null
        : { sent: counts.sent, failed: counts.failed, pending: counts.queued + counts.claimed + counts.unknown, held: counts.held },
  };
}

/** Seconds until launch as of `now`; 0 once the launch time has passed or the campaign ended. */
export function secondsLeft(numbers: Pick<CampaignNumbers, 'state' | 'launchAt'>, now: number): number {
  return isCampaignEnded(numbers.state) ? 0 : Math.max(0, Math.ceil((Date.parse(numbers.launchAt) - now) / 1000));
}

/** A campaign's public numbers and their JSON, written once per refresh. */
export interface CachedCampaignNumbers {
  readonly numbers: CampaignNumbers;
  /** The numbers with `secondsLeft`, serialised when read from Postgres (so at most `ttlMs` old). */
  readonly json: string;
}

/**
 * Public numbers kept for `ttlMs` per slug, refreshed by one query at a time: a campaign shared
 * widely is read far more often than it changes, and a second-old count is still live enough.
 * The JSON is written once per refresh, so a request costs a cache lookup and a socket write.
 */
export function createCampaignNumbersCache(db: Db, ttlMs = 1000): ShortLivedCache<CachedCampaignNumbers> {
  return createShortLivedCache(async (slug) => {
    const numbers = await readCampaignNumbers(db, slug);
    return numbers === undefined
      ? undefined
      : { numbers, json: JSON.stringify({ ...numbers, secondsLeft: secondsLeft(numbers, Date.now()) }) };
  }, ttlMs);
}
