import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { networkPauseCauses } from '../../../domain/network-pause.ts';
import { currentActor, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { readCampaignDetail } from '../../../use-cases/campaign-views/read-campaign-detail.ts';
import { cancelCampaign } from '../../../use-cases/campaigns/cancel-campaign.ts';
import { createCampaign } from '../../../use-cases/campaigns/create-campaign.ts';
import { editCampaign } from '../../../use-cases/campaigns/edit-campaign.ts';
import { listOrganiserCampaigns } from '../../../use-cases/campaigns/list-organiser-campaigns.ts';
import { publishCampaign } from '../../../use-cases/campaigns/publish-campaign.ts';
import { valueOrHttpError } from '../../problem-status.ts';
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
  pauses: Type.Array(
    Type.Object({
      network: NetworkIdSchema,
      cause: Type.Enum(networkPauseCauses),
      since: Type.String({ format: 'date-time' }),
      message: Type.String(),
    }),
    {
      description:
        "networks that refuse every post of this Chorus for now (X's credits ran out, or its 24-hour app cap is spent): their posts wait and resume by themselves",
    },
  ),
});

/** An organiser's campaigns: create, read, edit, open to supporters, cancel. */
const campaignRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  const publicUrl = ctx.config.PUBLIC_URL;
  app.addHook('preHandler', app.requireOrganiser);

  app.post(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Create a campaign', body: CampaignCreateBody, response: { 201: CampaignView } } },
    async (request, reply) => {
      const created = valueOrHttpError(await createCampaign(ctx, currentActor(request), request.body));
      return reply.code(201).send(campaignView(created, publicUrl));
    },
  );

  app.get(
    '/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The campaigns of every organisation you are a member of (each with its organisationId), or of one',
        querystring: Type.Object(
          { organisationId: Type.Optional(Type.String({ format: 'uuid', description: 'only this organisation’s campaigns' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(CampaignView) },
      },
    },
    async (request) =>
      valueOrHttpError(await listOrganiserCampaigns(db, currentOrganiser(request).id, request.query.organisationId)).map((campaign) =>
        campaignView(campaign, publicUrl),
      ),
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
      const detail = valueOrHttpError(await readCampaignDetail(ctx, currentOrganiser(request).id, request.params.id));
      const { campaign, xAccount, ...counts } = detail;
      return {
        ...campaignView(campaign, publicUrl),
        ...counts,
        xAccount:
          xAccount === null
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
      campaignView(valueOrHttpError(await editCampaign(ctx, currentActor(request), request.params.id, request.body)), publicUrl),
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
    async (request) => campaignView(valueOrHttpError(await publishCampaign(ctx, currentActor(request), request.params.id)), publicUrl),
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
    async (request) => campaignView(valueOrHttpError(await cancelCampaign(ctx, currentActor(request), request.params.id)), publicUrl),
  );
};

export default campaignRoutes;
