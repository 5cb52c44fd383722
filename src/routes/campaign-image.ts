import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ImageExtension } from '../domain/campaign-image-rules.ts';
import { createImageServer } from '../use-cases/campaigns/campaign-image.ts';
import type { Db } from '../storage/database.ts';
import { notFound } from './http-error.ts';
import { ifNoneMatchIncludes } from './if-none-match.ts';

const ImageParams = Type.Object({ name: Type.String({ pattern: '^[0-9a-f]{64}\\.(png|jpg|webp)$' }) });

// The URL names the bytes, so what it answers never changes: caches may keep it for a year.
const immutable = 'public, max-age=31536000, immutable';

/** Campaign images at `/images/<sha256>.<ext>`, from Postgres, so any API host answers. */
const campaignImageRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const serveCampaignImage = createImageServer(db);
  app.get(
    '/images/:name',
    {
      onRequest: app.rateLimited('campaign-image-per-client'),
      schema: { tags: ['campaigns'], summary: 'A campaign image, by the SHA-256 of its bytes', params: ImageParams },
    },
    async (request, reply) => {
      const [sha256, extension] = request.params.name.split('.') as [string, ImageExtension];
      const etag = `"${sha256}"`;
      const served = await serveCampaignImage(sha256, extension, ifNoneMatchIncludes(request.headers['if-none-match'], etag));
      switch (served.kind) {
        case 'not-found':
          throw notFound('image');
        case 'not-modified':
          return reply.code(304).headers({ etag, 'cache-control': immutable }).send();
        case 'image':
          return reply
            .headers({ etag, 'cache-control': immutable, 'x-content-type-options': 'nosniff' })
            .type(served.image.content_type)
            .send(served.image.bytes);
      }
    },
  );
};

export default campaignImageRoutes;
