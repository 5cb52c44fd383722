import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { NetworkIdSchema } from './campaign.schemas.ts';

const NetworkView = Type.Object({
  id: NetworkIdSchema,
  displayName: Type.String(),
  maxLength: Type.Integer({ description: 'the post length limit as the network counts it (a Mastodon instance may set its own)' }),
  serverParameter: Type.Optional(
    Type.String({
      description: "the connect route's query parameter naming the supporter's server (Mastodon: instance) or account (Bluesky: handle)",
    }),
  ),
  instances: Type.Optional(Type.Array(Type.String(), { description: 'servers offered to supporters' })),
  canRepost: Type.Boolean({ description: 'whether a campaign can use repost mode on this network' }),
});

/** The preflight: which networks this Chorus posts to, and each one's limits. */
const networkRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.get(
    '/public/networks',
    {
      schema: {
        tags: ['public'],
        summary: 'The networks this Chorus can post to, with their limits',
        response: { 200: Type.Array(NetworkView) },
      },
    },
    async () =>
      ctx.networks.outlines().map((network) => ({
        id: network.id,
        displayName: network.displayName,
        maxLength: network.textRules.maxLength,
        ...(network.serverChoice === undefined
          ? {}
          : { serverParameter: network.serverChoice.parameter, instances: [...network.serverChoice.suggested] }),
        canRepost: network.reposts,
      })),
  );
};

export default networkRoutes;
