import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { isCampaignEnded } from '../../../domain/campaign-state.ts';
import { percentOfGoal } from '../../../domain/goal.ts';
import { formatLaunchTime } from '../../../domain/launch-time.ts';
import { findPublicCampaign } from '../../../storage/campaign.repository.ts';
import type { Db } from '../../../storage/database.ts';
import { countDeliveries } from '../../../storage/delivery.repository.ts';
import { listNetworkTallies } from '../../../storage/network-tally.repository.ts';
import { listSupporters } from '../../../storage/pledge.repository.ts';
import { notFound } from '../../http-error.ts';
import { CampaignStateSchema, NetworkIdSchema } from './campaign.schemas.ts';

const SupporterView = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  network: NetworkIdSchema,
  reach: Type.Integer(),
  pledgedAt: Type.String({ format: 'date-time' }),
});

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }) });

const CampaignNumbers = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  message: Type.String(),
  variants: Type.Array(Type.String()),
  link: Type.String(),
  networks: Type.Array(NetworkIdSchema),
  state: CampaignStateSchema,
  supporters: Type.Integer(),
  goal: Type.Integer(),
  percentOfGoal: Type.Integer(),
  reach: Type.Integer({ description: 'the sum of supporters\' followers, "no fancy math"' }),
  byNetwork: Type.Array(Type.Object({ network: NetworkIdSchema, supporters: Type.Integer(), reach: Type.Integer() }), {
    description: 'supporters and reach on each network (LinkedIn tells Chorus no follower counts, so its reach is 0)',
  }),
  launchAt: Type.String({ format: 'date-time' }),
  launchAtLocal: Type.String(),
  secondsLeft: Type.Integer({ description: '0 once the launch time has passed' }),
  topSupporters: Type.Array(SupporterView, { description: 'largest reach first' }),
  recentSupporters: Type.Array(SupporterView),
  deliveries: Type.Union([
    Type.Object({ sent: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() }, { description: 'after launch' }),
    Type.Null(),
  ]),
});

/** What anyone may see of a campaign that is open or has ended. */
const publicCampaignRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/public/campaigns/:slug',
    { schema: { tags: ['public'], summary: 'A campaign\'s public numbers', params: SlugParams, response: { 200: CampaignNumbers } } },
    async (request) => {
      const campaign = await findPublicCampaign(db, request.params.slug);
      if (campaign === undefined) throw notFound('campaign');
      const [top, recent, byNetwork] = await Promise.all([
        listSupporters(db, campaign.id, 'largest-reach', 10),
        listSupporters(db, campaign.id, 'most-recent', 10),
        listNetworkTallies(db, campaign.id),
      ]);
      const launchedOrLaunching = campaign.state === 'launching' || campaign.state === 'launched';
      const counts = launchedOrLaunching ? await countDeliveries(db, campaign.id) : null;
      const supporterView = (s: (typeof top)[number]) => ({
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
        secondsLeft: isCampaignEnded(campaign.state) ? 0 : Math.max(0, Math.ceil((campaign.launch_at.getTime() - Date.now()) / 1000)),
        topSupporters: top.map(supporterView),
        recentSupporters: recent.map(supporterView),
        deliveries:
          counts === null
            ? null
            : { sent: counts.sent, failed: counts.failed, pending: counts.queued + counts.claimed + counts.unknown },
      };
    },
  );
};

export default publicCampaignRoutes;
