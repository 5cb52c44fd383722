import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { CampaignNumbersSchema, createCampaignNumbersCache } from '../../../use-cases/campaign-views/campaign-numbers.ts';
import type { Config } from '../../../../config/config.ts';
import { shareOneQuietLogger } from '../../../busy-route-logger.ts';
import type { Db } from '../../../storage/database.ts';
import { notFound } from '../../http-error.ts';

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }) });

const CampaignNumbersView = Type.Object({
  ...CampaignNumbersSchema.properties,
  secondsLeft: Type.Integer({ description: '0 once the launch time has passed' }),
});

/**
 * What anyone may see of a campaign that is open or has ended. Registered outside the session's
 * context (src/app.ts): it reads no cookie and sets none, and pays for none of the session's hooks.
 */
const publicCampaignRoutes: FastifyPluginAsyncTypebox<{ db: Db; logLevel: Config['LOG_LEVEL'] }> = async (app, { db, logLevel }) => {
  shareOneQuietLogger(app, logLevel, 'public campaign numbers');
  const numbers = createCampaignNumbersCache(db);
  app.get(
    '/public/campaigns/:slug',
    {
      onRequest: app.rateLimited('public-numbers-per-client'),
      schema: {
        tags: ['public'],
        summary: "A campaign's public numbers (at most a second old)",
        params: SlugParams,
        response: { 200: CampaignNumbersView },
      },
      config: { securityHeaders: 'json-api' },
    },
    async (request, reply) => {
      const found = await numbers.read(request.params.slug);
      if (found === undefined) throw notFound('campaign');
      // Already serialised in the shape of CampaignNumbersView, once per refresh; Fastify sends a
      // JSON string as it is, so the schema here documents the answer rather than rewrites it.
      return reply.type('application/json; charset=utf-8').send(found.json as unknown as Static<typeof CampaignNumbersView>);
    },
  );
};

export default publicCampaignRoutes;
