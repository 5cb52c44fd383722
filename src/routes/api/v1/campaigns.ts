import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { cancelCampaign, createCampaign, editCampaign, publishCampaign } from '../../../campaigns/campaign-commands.ts';
import { currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { findCampaignAccount } from '../../../storage/campaign-account.repository.ts';
import { findOrganiserCampaign, listOrganiserCampaigns } from '../../../storage/campaign.repository.ts';
import type { Campaign } from '../../../storage/database.ts';
import { countDeliveries } from '../../../storage/delivery.repository.ts';
import { countAccessExpiringBeforeLaunch, countDeliveriesByNetwork } from '../../../storage/network-tally.repository.ts';
import { notFound } from '../../http-error.ts';
import {
  CampaignCreateBody,
  CampaignIdParams,
  CampaignPatchBody,
  CampaignView,
  NetworkIdSchema,
  campaignView,
} from './campaign.schemas.ts';

const DeliveryCountsView = Type.Object({
  queued: Type.Integer(),
  held: Type.Integer(),
  claimed: Type.Integer(),
  unknown: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
});

const CampaignDetailView = Type.Object({
  ...CampaignView.properties,
  deliveries: DeliveryCountsView,
  deliveriesByNetwork: Type.Array(
    Type.Object({
      network: NetworkIdSchema,
      sent: Type.Integer(),
      failed: Type.Integer(),
      unknown: Type.Integer(),
      pending: Type.Integer(),
      held: Type.Integer(),
    }),
  ),
  accessExpiringBeforeLaunch: Type.Array(Type.Object({ network: NetworkIdSchema, pledges: Type.Integer() }), {
    description:
      'pledges whose access ends before the launch and cannot be renewed (LinkedIn): they fail unless the supporter authorises again',
  }),
  xAccount: Type.Union(
    [
      Type.Object({
        handle: Type.String(),
        postState: Type.Enum(['none', 'sent', 'failed']),
        postId: Type.Union([Type.String(), Type.Null()]),
        postFailure: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ],
    { description: "the campaign's own X account, for repost mode" },
  ),
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

  app.post(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Create a campaign', body: CampaignCreateBody, response: { 201: CampaignView } } },
    async (request, reply) => {
      const created = await createCampaign(ctx, currentOrganiser(request).id, request.body);
      return reply.code(201).send(campaignView(created, publicUrl));
    },
  );

  app.get(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Your campaigns', response: { 200: Type.Array(CampaignView) } } },
    async (request) =>
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
        xAccount:
          xAccount === undefined
            ? null
            : { handle: xAccount.handle, postState: xAccount.post_state, postId: xAccount.post_id, postFailure: xAccount.post_failure },
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
    async (request) =>
      campaignView(await editCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id), request.body), publicUrl),
  );

  app.post(
    '/campaigns/:id/publish',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Open a draft campaign to supporters',
        params: CampaignIdParams,
        response: { 200: CampaignView },
      },
    },
    async (request) =>
      campaignView(await publishCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id)), publicUrl),
  );

  app.post(
    '/campaigns/:id/cancel',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Cancel a campaign before launch: nothing is posted',
        params: CampaignIdParams,
        response: { 200: CampaignView },
      },
    },
    async (request) =>
      campaignView(await cancelCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id)), publicUrl),
  );
};

export default campaignRoutes;
