import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { checkCampaignTexts, slugFromTitle } from '../../../domain/campaign-message.ts';
import { isCampaignEditable } from '../../../domain/campaign-state.ts';
import { checkGoalChange } from '../../../domain/goal.ts';
import { checkLaunchWindow, parseLaunchTime, type LaunchTime } from '../../../domain/launch-time.ts';
import { cancelLaunch, scheduleLaunch } from '../../../jobs/launch-schedule.ts';
import type { NetworkId } from '../../../networks/network-id.ts';
import { currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { findOrganiserCampaign, insertCampaign, listOrganiserCampaigns, updateCampaignInStates } from '../../../storage/campaign.repository.ts';
import { eraseCampaignCredentials } from '../../../storage/credentials.repository.ts';
import type { Campaign, CampaignUpdate } from '../../../storage/database.ts';
import { findCampaignAccount } from '../../../storage/campaign-account.repository.ts';
import { countDeliveries } from '../../../storage/delivery.repository.ts';
import { countAccessExpiringBeforeLaunch, countDeliveriesByNetwork } from '../../../storage/network-tally.repository.ts';
import { badRequest, conflict, notFound } from '../../http-error.ts';
import { CampaignCreateBody, CampaignIdParams, CampaignPatchBody, CampaignView, NetworkIdSchema, campaignView } from './campaign.schemas.ts';

const DeliveryCountsView = Type.Object({ queued: Type.Integer(), claimed: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), unknown: Type.Integer() });

const CampaignDetailView = Type.Object({
  ...CampaignView.properties,
  deliveries: DeliveryCountsView,
  deliveriesByNetwork: Type.Array(
    Type.Object({ network: NetworkIdSchema, sent: Type.Integer(), failed: Type.Integer(), unknown: Type.Integer(), pending: Type.Integer() }),
  ),
  accessExpiringBeforeLaunch: Type.Array(Type.Object({ network: NetworkIdSchema, pledges: Type.Integer() }), {
    description: 'pledges whose access ends before the launch and cannot be renewed (LinkedIn): they fail unless the supporter authorises again',
  }),
  xAccount: Type.Union([
    Type.Object({
      handle: Type.String(),
      postState: Type.Enum(['none', 'sent', 'failed']),
      postId: Type.Union([Type.String(), Type.Null()]),
      postFailure: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ], { description: 'the campaign\'s own X account, for repost mode' }),
});

/** An organiser's campaigns: create, read, edit, open to supporters, cancel. */
const campaignRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  const publicUrl = ctx.config.PUBLIC_URL;
  app.addHook('preHandler', app.requireOrganiser);

  async function ownCampaign(organiserId: string, campaignId: string): Promise<Campaign> {
    const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
    if (campaign === undefined) throw notFound('campaign');
    return campaign;
  }

  function checkTexts(texts: { message: string; variants: readonly string[]; link: string }, networkIds: readonly NetworkId[]): void {
    const networks = networkIds.map((id) => {
      const network = ctx.networks.get(id);
      if (network === undefined) throw badRequest(`${id} is not configured on this Chorus`, 'networks');
      return network;
    });
    const problem = checkCampaignTexts(texts, networks);
    if (problem !== null) throw badRequest(problem.message, problem.field);
  }

  app.post(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Create a campaign', body: CampaignCreateBody, response: { 201: CampaignView } } },
    async (request, reply) => {
      const body = request.body;
      const launch = readLaunchTime(body.launchAt, body.timeZone);
      const variants = body.variants ?? [];
      if (body.xMode === 'repost' && !body.networks.includes('x')) throw badRequest('repost mode is for campaigns that post to X', 'xMode');
      checkTexts({ message: body.message, variants, link: body.link }, body.networks);
      const created = await insertCampaign(db, {
        organiser_id: currentOrganiser(request).id,
        slug: body.slug ?? slugFromTitle(body.title),
        title: body.title,
        description: body.description ?? '',
        link: body.link,
        message: body.message,
        variants,
        goal: body.goal,
        launch_at: launch.at,
        time_zone: launch.timeZone,
        networks: body.networks,
        x_mode: body.xMode ?? 'post',
        state: body.publish === true ? 'collecting' : 'draft',
      });
      if (created === 'slug-taken') throw conflict(`the address /c/${body.slug ?? slugFromTitle(body.title)} is taken; choose another slug`);
      if (created.state === 'collecting') await scheduleLaunch(ctx.queues.launches, created.id, created.launch_at);
      return reply.code(201).send(campaignView(created, publicUrl));
    },
  );

  app.get('/campaigns', { schema: { tags: ['campaigns'], summary: 'Your campaigns', response: { 200: Type.Array(CampaignView) } } }, async (request) =>
    (await listOrganiserCampaigns(db, currentOrganiser(request).id)).map((campaign) => campaignView(campaign, publicUrl)),
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'One of your campaigns, with its delivery counts, per network too, and the pledges at risk',
        params: CampaignIdParams,
        response: { 200: CampaignDetailView },
      },
    },
    async (request) => {
      const campaign = await ownCampaign(currentOrganiser(request).id, request.params.id);
      const [deliveries, deliveriesByNetwork, accessExpiringBeforeLaunch, xAccount] = await Promise.all([
        countDeliveries(db, campaign.id),
        countDeliveriesByNetwork(db, campaign.id),
        countAccessExpiringBeforeLaunch(db, campaign.id),
        findCampaignAccount(db, campaign.id),
      ]);
      return {
        ...campaignView(campaign, publicUrl),
        deliveries,
        deliveriesByNetwork,
        accessExpiringBeforeLaunch,
        xAccount: xAccount === undefined ? null : { handle: xAccount.handle, postState: xAccount.post_state, postId: xAccount.post_id, postFailure: xAccount.post_failure },
      };
    },
  );

  app.patch(
    '/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Edit a campaign before launch (the goal can only be raised once supporters are pledging)',
        params: CampaignIdParams,
        body: CampaignPatchBody,
        response: { 200: CampaignView },
      },
    },
    async (request) => {
      const campaign = await ownCampaign(currentOrganiser(request).id, request.params.id);
      if (!isCampaignEditable(campaign.state)) throw conflict(`the campaign is ${campaign.state} and can no longer be changed`);
      const body = request.body;
      const changes: CampaignUpdate = {};

      if (body.launchAt !== undefined) {
        const launch = readLaunchTime(body.launchAt, body.timeZone);
        changes.launch_at = launch.at;
        changes.time_zone = launch.timeZone;
      } else if (body.timeZone !== undefined) {
        // Only how the same instant is shown changes.
        const zone = parseLaunchTime(campaign.launch_at.toISOString(), body.timeZone);
        if (zone.kind === 'problem') throw badRequest(zone.message, zone.field);
        changes.time_zone = body.timeZone;
      }
      if (body.goal !== undefined) {
        const problem = campaign.state === 'collecting' ? checkGoalChange(campaign.goal, body.goal) : null;
        if (problem !== null) throw badRequest(problem, 'goal');
        changes.goal = body.goal;
      }
      if (body.message !== undefined || body.variants !== undefined) {
        const texts = { message: body.message ?? campaign.message, variants: body.variants ?? campaign.variants, link: campaign.link };
        checkTexts(texts, campaign.networks);
        changes.message = texts.message;
        changes.variants = texts.variants;
      }
      if (body.xMode !== undefined) {
        if (body.xMode === 'repost' && !campaign.networks.includes('x')) throw badRequest('repost mode is for campaigns that post to X', 'xMode');
        changes.x_mode = body.xMode;
      }
      if (body.title !== undefined) changes.title = body.title;
      if (body.description !== undefined) changes.description = body.description;

      const updated = await updateCampaignInStates(db, campaign.id, ['draft', 'collecting'], changes);
      if (updated === undefined) throw conflict('the campaign started launching and can no longer be changed');
      if (changes.launch_at !== undefined && updated.state === 'collecting') {
        await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
      }
      return campaignView(updated, publicUrl);
    },
  );

  app.post(
    '/campaigns/:id/publish',
    { schema: { tags: ['campaigns'], summary: 'Open a draft campaign to supporters', params: CampaignIdParams, response: { 200: CampaignView } } },
    async (request) => {
      const campaign = await ownCampaign(currentOrganiser(request).id, request.params.id);
      if (campaign.state !== 'draft') throw conflict(`the campaign is already ${campaign.state}`);
      const problem = checkLaunchWindow(campaign.launch_at, new Date());
      if (problem !== null) throw badRequest(`${problem}; move it first`, 'launchAt');
      const updated = await updateCampaignInStates(db, campaign.id, ['draft'], { state: 'collecting' });
      if (updated === undefined) throw conflict('the campaign changed meanwhile; reload it');
      await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
      return campaignView(updated, publicUrl);
    },
  );

  app.post(
    '/campaigns/:id/cancel',
    { schema: { tags: ['campaigns'], summary: 'Cancel a campaign before launch: nothing is posted', params: CampaignIdParams, response: { 200: CampaignView } } },
    async (request) => {
      const campaign = await ownCampaign(currentOrganiser(request).id, request.params.id);
      const updated = await updateCampaignInStates(db, campaign.id, ['draft', 'collecting'], { state: 'cancelled', ended_at: new Date() });
      if (updated === undefined) throw conflict(`the campaign is ${campaign.state} and can no longer be cancelled`);
      await cancelLaunch(ctx.queues.launches, campaign.id);
      await eraseCampaignCredentials(db, campaign.id);
      return campaignView(updated, publicUrl);
    },
  );
};

function readLaunchTime(launchAt: string, timeZone: string | undefined): LaunchTime {
  const launch = parseLaunchTime(launchAt, timeZone);
  if (launch.kind === 'problem') throw badRequest(launch.message, launch.field);
  const problem = checkLaunchWindow(launch.at, new Date());
  if (problem !== null) throw badRequest(problem, 'launchAt');
  return launch;
}

export default campaignRoutes;
