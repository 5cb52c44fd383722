import type { FastifyPluginAsync } from 'fastify';
import type { ChorusContext } from '../../chorus-context.ts';
import { SUPPORTER_PAGES_STYLESHEET } from '../../use-cases/campaign-views/campaign-page-view.ts';
import { listLiveCampaigns, type LiveCampaignCard } from '../../use-cases/campaign-views/list-live-campaigns.ts';
import { createShortLivedCache } from '../../use-cases/campaign-views/short-lived-cache.ts';
import { pageLocals } from './page-locals.ts';

/** The front page: what Chorus is, the live campaigns their organisers chose to list, and the way in for organisers. */
const homePage: FastifyPluginAsync<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  // The same list for every visitor, read at most every few seconds.
  const live = createShortLivedCache<{ cards: LiveCampaignCard[] }>(async () => ({ cards: await listLiveCampaigns(ctx.db) }), 5000, 1);
  app.get('/', { onRequest: app.rateLimited('campaign-page-per-client'), schema: { hide: true } }, async (request, reply) => {
    const cards = (await live.read('home'))?.cards ?? [];
    return reply.header('cache-control', 'no-cache').view('home', {
      ...pageLocals(request, reply),
      title: 'Many voices, one moment',
      campaigns: cards,
      styles: [SUPPORTER_PAGES_STYLESHEET],
      scripts: cards.length > 0 ? ['/static/countdown.js'] : [],
    });
  });
};

export default homePage;
