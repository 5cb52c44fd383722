import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../chorus-context.ts';
import { allowFramingByAnyone } from '../plugins/external/helmet.ts';
import { createShortLivedCache } from '../use-cases/campaign-views/short-lived-cache.ts';
import { campaignEmbedView } from '../use-cases/embed/campaign-embed-view.ts';
import { oembedAnswer } from '../use-cases/embed/oembed-answer.ts';
import { createShareImageServer } from '../use-cases/share-image/share-image.ts';
import { SlugParams } from './api/v1/public-campaigns.ts';
import { notFound } from './http-error.ts';
import { ifNoneMatchIncludes } from './if-none-match.ts';
import { valueOrHttpError } from './problem-status.ts';
import { StorableText } from '../use-cases/storable-text-schema.ts';

const ShareImageQuery = Type.Object(
  {
    v: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{1,64}$', description: 'the figures the page saw; any value gets the current image' }),
    ),
  },
  { additionalProperties: false },
);

const OEmbedQuery = Type.Object(
  {
    url: StorableText({
      minLength: 1,
      maxLength: 2000,
      description: "a campaign page's address (`/c/:slug`) or its short link (`/s/:code`)",
    }),
    format: Type.Optional(
      Type.Enum(['json', 'xml'], { description: '`json`, the only format offered: `xml` is answered 501, as oEmbed asks' }),
    ),
    maxwidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    maxheight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/**
 * What other sites use to show a campaign: its link-preview image, its embeddable widget, and the oEmbed
 * endpoint that hands out the widget. Public and cookie-free, like the campaign images.
 */
const shareRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const publicUrl = ctx.config.PUBLIC_URL;
  const serveShareImage = createShareImageServer(ctx.db, publicUrl);

  app.get(
    '/c/:slug/share-image.png',
    {
      onRequest: app.rateLimited('share-image-per-client'),
      schema: {
        tags: ['sharing'],
        summary: "A campaign's link-preview image (1200 × 630 PNG): its image, title, progress and time left",
        params: SlugParams,
        querystring: ShareImageQuery,
      },
    },
    async (request, reply) => {
      const served = await serveShareImage(request.params.slug, (etag) => ifNoneMatchIncludes(request.headers['if-none-match'], etag));
      // Previews are fetched again after a few minutes at most; the page's `v` changes with the figures anyway.
      // Other sites may show it (oEmbed's thumbnail): helmet's same-origin resource policy would stop their pages.
      const caching = { 'cache-control': 'public, max-age=300', 'cross-origin-resource-policy': 'cross-origin' };
      switch (served.kind) {
        case 'not-found':
          throw notFound('campaign');
        case 'not-modified':
          return reply
            .code(304)
            .headers({ ...caching, etag: served.etag })
            .send();
        case 'image':
          return reply
            .headers({ ...caching, etag: served.etag })
            .type('image/png')
            .send(served.png);
      }
    },
  );

  // The widget is the same for every visitor: worked out at most once a second per campaign, rendered once.
  const widgets = createShortLivedCache(async (slug) => {
    const view = await campaignEmbedView(ctx.db, slug, publicUrl);
    return view.kind === 'done' ? { html: await app.view('campaign/embed', view.value) } : undefined;
  }, 1000);

  app.get(
    '/c/:slug/embed',
    { onRequest: app.rateLimited('campaign-page-per-client'), schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const widget = await widgets.read(request.params.slug);
      if (widget === undefined) throw notFound('campaign');
      allowFramingByAnyone(reply);
      return reply.header('cache-control', 'public, max-age=60').type('text/html; charset=utf-8').send(widget.html);
    },
  );

  app.get(
    '/oembed',
    {
      onRequest: app.rateLimited('oembed-per-client'),
      schema: {
        tags: ['sharing'],
        summary: "oEmbed (https://oembed.com/): a campaign's widget for a site that embeds its link",
        querystring: OEmbedQuery,
      },
    },
    async (request, reply) => {
      const { url, format, maxwidth, maxheight } = request.query;
      // oEmbed asks for 501 when the format is not offered.
      if (format === 'xml')
        return reply.code(501).send({ statusCode: 501, error: 'Not Implemented', message: 'only format=json is offered', field: 'format' });
      const answer = valueOrHttpError(
        await oembedAnswer(
          ctx.db,
          { url, ...(maxwidth === undefined ? {} : { maxwidth }), ...(maxheight === undefined ? {} : { maxheight }) },
          publicUrl,
        ),
      );
      return reply.header('cache-control', 'public, max-age=3600').send(answer);
    },
  );
};

export default shareRoutes;
