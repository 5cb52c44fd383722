import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { currentActor, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { eraseSupporter } from '../../../use-cases/supporter-data/erase-supporter.ts';
import { listCampaignSupporters, supportersListLimits } from '../../../use-cases/supporter-data/list-campaign-supporters.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { CampaignIdParams, NetworkIdSchema } from './campaign.schemas.ts';

const SupporterView = Type.Object({
  pledgeId: Type.String({ format: 'uuid', description: 'names the supporter to erase' }),
  handle: Type.String(),
  displayName: Type.String(),
  network: NetworkIdSchema,
  reach: Type.Integer(),
  state: Type.Enum(['active', 'withdrawn']),
  shownPublicly: Type.Boolean({ description: 'whether the supporter chose to be named on the public page' }),
  pledgedAt: Type.String({ format: 'date-time' }),
});

const SupportersQuery = Type.Object(
  {
    handle: Type.Optional(
      Type.String({
        maxLength: 300,
        // Postgres refuses NUL in text: a clear 400 rather than its error.
        pattern: '^[^\\u0000]*$',
        description: 'find supporters whose handle contains this (withdrawn ones too); none: the latest active',
      }),
    ),
    limit: Type.Integer({ minimum: supportersListLimits.min, maximum: supportersListLimits.max, default: supportersListLimits.default }),
  },
  { additionalProperties: false },
);

/** An organiser's campaign's supporters, and the erasure of one of them on their request. */
const campaignSupporterRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.addHook('preHandler', app.requireOrganiser);

  app.get(
    '/campaigns/:id/supporters',
    {
      schema: {
        tags: ['campaigns'],
        summary: "Your campaign's supporters, most recent first, or those whose handle contains `handle`",
        params: CampaignIdParams,
        querystring: SupportersQuery,
        response: { 200: Type.Array(SupporterView) },
      },
    },
    async (request, reply) => {
      const { handle, limit } = request.query;
      // Supporters' handles: personal data, kept out of any cache.
      void reply.header('cache-control', 'no-store');
      const supporters = valueOrHttpError(
        await listCampaignSupporters(ctx.db, currentOrganiser(request).id, request.params.id, {
          limit,
          ...(handle === undefined ? {} : { handle }),
        }),
      );
      return supporters.map((s) => ({
        pledgeId: s.pledgeId,
        handle: s.handle,
        displayName: s.displayName,
        network: s.network,
        reach: s.followers,
        state: s.state,
        shownPublicly: s.shownPublicly,
        pledgedAt: s.pledgedAt.toISOString(),
      }));
    },
  );

  app.delete(
    '/campaigns/:id/supporters/:pledgeId',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          "Erase a supporter's personal data on their request: before the launch their pledge is withdrawn and its access erased; after the end the totals stay",
        params: Type.Object({ ...CampaignIdParams.properties, pledgeId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            handle: Type.String({ description: 'the handle that was erased' }),
            network: NetworkIdSchema,
            withdrawn: Type.Boolean({ description: 'true when the campaign was collecting and the pledge was withdrawn first' }),
          }),
        },
      },
    },
    async (request) => valueOrHttpError(await eraseSupporter(ctx.db, currentActor(request), request.params.id, request.params.pledgeId)),
  );
};

export default campaignSupporterRoutes;
