import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { commaList } from '../../../config/comma-list.ts';
import type { ChorusContext } from '../../chorus-context.ts';
import { createShortLivedCache } from '../../use-cases/campaign-views/short-lived-cache.ts';
import { allowFormsToReach } from '../../plugins/external/helmet.ts';
import type { Campaign } from '../../storage/database.ts';
import {
  campaignPageView,
  readCampaignPage,
  type CampaignPageView,
  type ServerChoiceProblem,
} from '../../use-cases/campaign-views/campaign-page-view.ts';
import { launchCalendar } from '../../use-cases/campaign-views/launch-calendar.ts';
import { visitShortLink } from '../../use-cases/campaign-views/visit-short-link.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { notFound } from '../http-error.ts';
import { valueOrHttpError } from '../problem-status.ts';
import { pageLocals } from './page-locals.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** The public campaign page `/c/:slug`, and short links `/s/:code` that lead to it. */
const publicCampaignPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  // What the page shows is the same for every visitor, so it is worked out at most once a second
  // per campaign (as the public numbers are), and rendered once for everyone not signed in: only
  // a signed-in organiser's copy differs (the sign-out form and its CSRF token).
  const formTargets = serverFormTargets(ctx);
  const pages = createShortLivedCache(async (slug) => {
    const found = await readCampaignPage(ctx, slug, withTrailingSlash(ctx.config.PUBLIC_URL));
    if (found.kind !== 'done') return undefined;
    const anonymousHtml = await app.view('campaign/page', { signedIn: false, csrfToken: null, ...found.value });
    return { view: found.value, anonymousHtml };
  }, 1000);

  const pageLimit = app.rateLimited('campaign-page-per-client');
  app.get('/c/:slug', { onRequest: pageLimit, schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const page = await pages.read(request.params.slug);
    if (page === undefined) throw notFound('campaign');
    allowServerForms(reply, page.view, formTargets);
    reply.header('cache-control', 'no-cache');
    const locals = pageLocals(request, reply);
    if (!locals.signedIn) return reply.type('text/html; charset=utf-8').send(page.anonymousHtml);
    return reply.view('campaign/page', { ...locals, ...page.view });
  });

  // The launch as a calendar event, offered on the confirmation page ("add to calendar").
  app.get('/c/:slug/launch.ics', { onRequest: pageLimit, schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const calendar = valueOrHttpError(await launchCalendar(ctx.db, request.params.slug, withTrailingSlash(ctx.config.PUBLIC_URL)));
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${calendar.fileName}"`)
      .header('cache-control', 'no-cache')
      .send(calendar.body);
  });

  app.get(
    '/s/:code',
    { onRequest: pageLimit, schema: { hide: true, params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{6}$' }) }) } },
    async (request, reply) => {
      const slug = await visitShortLink(ctx.db, request.params.code);
      if (slug === undefined) throw notFound('short link');
      return reply.redirect(`/c/${slug}`, 302);
    },
  );
};

/** Renders the campaign page, with a refused server name beside its field (and status 400) when there is one. */
export async function renderCampaignPage(
  ctx: ChorusContext,
  request: FastifyRequest,
  reply: FastifyReply,
  campaign: Campaign,
  problem?: ServerChoiceProblem,
) {
  const view = await campaignPageView(ctx, campaign, withTrailingSlash(ctx.config.PUBLIC_URL), problem);
  allowServerForms(reply, view, serverFormTargets(ctx));
  return reply
    .code(problem === undefined ? 200 : 400)
    .header('cache-control', 'no-cache')
    .view('campaign/page', { ...pageLocals(request, reply), ...view });
}

/** An open campaign page with a server-choice form lets that form lead on to the supporter's server. */
function allowServerForms(reply: FastifyReply, view: CampaignPageView, targets: readonly string[]): void {
  if (view.campaign.open && view.campaign.networks.some((n) => n.server !== null)) allowFormsToReach(reply, targets);
}

/**
 * Where a server-choice form may end up: the supporter's server is any public https host, or
 * one of the local servers the operator listed (the sandboxes and the local Bluesky network, in tests and under `npm start`).
 */
function serverFormTargets(ctx: ChorusContext): string[] {
  const local = [...commaList(ctx.config.MASTODON_LOCAL_INSTANCES), ...commaList(ctx.config.BLUESKY_LOCAL_SERVERS)].flatMap((entry) => {
    try {
      return [new URL(entry).origin];
    } catch {
      return [];
    }
  });
  return ['https:', ...local];
}

export default publicCampaignPages;
