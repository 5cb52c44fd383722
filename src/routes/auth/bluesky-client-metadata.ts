import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { blueskyClientMetadataPath, blueskyJwksPath } from '../../networks/bluesky/bluesky-client-paths.ts';

/**
 * Chorus's atproto OAuth client metadata (its client_id is this document's address) and the
 * public keys of a confidential client. Bluesky servers fetch them during a supporter's sign-in.
 */
const blueskyClientMetadataRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.get(blueskyClientMetadataPath, { schema: { hide: true } }, async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=600').send((await ctx.blueskyOAuth()).clientMetadata);
  });
  app.get(blueskyJwksPath, { schema: { hide: true } }, async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=600').send(await (await ctx.blueskyOAuth()).jwks());
  });
};

export default blueskyClientMetadataRoutes;
