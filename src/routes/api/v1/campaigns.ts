import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { cancelCampaign, createCampaign, editCampaign, publishCampaign } from '../../../campaigns/campaign-commands.ts';
import { currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { findOrganiserCampaign, listOrganiserCampaigns } from '../../../storage/campaign.repository.ts';
import type { Campaign } from '../../../storage/database.ts';
import { countDeliveries } from '../../../storage/delivery.repository.ts';
import { notFound } from '../../http-error.ts';
import { CampaignCreateBody, CampaignIdParams, CampaignPatchBody, CampaignView, campaignView } from './campaign.schemas.ts';

const DeliveryCountsView = Type.Object({ queued: Type.Integer(), held: Type.Integer(), claimed: Type.Integer(), unknown: Type.Integer(), sent: Type.Integer(), failed: Type.Integer() });

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

  app.get('/campaigns', { schema: { tags: ['campaigns'], summary: 'Your campaigns', response: { 200: Type.Array(CampaignView) } } }, async (request) =>
    (await listOrganiserCampaigns(db, currentOrganiser(request).id)).map((campaign) => campaignView(campaign, publicUrl)),
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'One of your campaigns, with its delivery counts',
        params: CampaignIdParams,
        response: { 200: Type.Object({ ...CampaignView.properties, deliveries: DeliveryCountsView }) },
      },
    },
    async (request) => {
      const campaign = await ownCampaign(currentOrganiser(request).id, request.params.id);
      return { ...campaignView(campaign, publicUrl), deliveries: await countDeliveries(db, campaign.id) };
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
    async (request) => campaignView(await editCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id), request.body), publicUrl),
  );

  app.post(
    '/campaigns/:id/publish',
    { schema: { tags: ['campaigns'], summary: 'Open a draft campaign to supporters', params: CampaignIdParams, response: { 200: CampaignView } } },
    async (request) => campaignView(await publishCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id)), publicUrl),
  );

  app.post(
    '/campaigns/:id/cancel',
    { schema: { tags: ['campaigns'], summary: 'Cancel a campaign before launch: nothing is posted', params: CampaignIdParams, response: { 200: CampaignView } } },
    async (request) => campaignView(await cancelCampaign(ctx, await ownCampaign(currentOrganiser(request).id, request.params.id)), publicUrl),
  );
};

export default campaignRoutes;
