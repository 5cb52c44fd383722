import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { notFound } from '../../http-error.ts';
import { NetworkIdSchema } from './campaign.schemas.ts';

/**
 * Counts a text as the network does (X: twitter-text's weighted length), for the live
 * counters on the pages: one rule, kept on the server, instead of a second copy in the browser.
 */
const textMeasureRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.post(
    '/networks/:network/measure',
    {
      schema: {
        tags: ['public'],
        summary: "Count a post's length as the network counts it",
        params: Type.Object({ network: NetworkIdSchema }),
        body: Type.Object({ text: Type.String({ maxLength: 5000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ length: Type.Integer(), maxLength: Type.Integer() }) },
      },
    },
    async (request) => {
      const network = ctx.networks.outline(request.params.network);
      if (network === undefined) throw notFound('network');
      return { length: network.textRules.measure(request.body.text), maxLength: network.textRules.maxLength };
    },
  );
};

export default textMeasureRoutes;
