import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { editCampaign } from '../../campaigns/campaign-commands.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { findCampaign, findOrganiserCampaign } from '../../storage/campaign.repository.ts';
import { findCampaignAccount } from '../../storage/campaign-account.repository.ts';
import { addCampaignUpdate, listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { listDeliveryResults } from '../../storage/delivery-result.repository.ts';
import { countAccessExpiringBeforeLaunch } from '../../storage/network-tally.repository.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { CampaignIdParams } from '../api/v1/campaign.schemas.ts';
import { HttpError, notFound } from '../http-error.ts';
import { csvField } from './csv-field.ts';
import { dashboardFingerprint, dashboardSnapshot, deliveryCountsFor, networkName, resultRow } from './dashboard-snapshot.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const GoalForm = Type.Object({ _csrf: Type.Optional(Type.String()), goal: Type.Optional(Type.String({ maxLength: 20 })) });
const UpdateForm = Type.Object({ _csrf: Type.Optional(Type.String()), body: Type.Optional(Type.String({ maxLength: 20_000 })) });

/** How often an open dashboard looks for changes: one primary-key read of the campaign row. */
const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

/** The organiser's live reach dashboard, its server-sent events, the goal and update forms, and the CSV export. */
const reachDashboardPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  app.addHook('preHandler', requireOrganiserPage(app));
  const base = ctx.config.PUBLIC_URL.endsWith('/') ? ctx.config.PUBLIC_URL : `${ctx.config.PUBLIC_URL}/`;
  const streams = new Set<() => void>();
  // Open event streams would hold the server open: end them when the app closes.
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  async function ownCampaign(request: FastifyRequest, id: string): Promise<Campaign> {
    const campaign = await findOrganiserCampaign(ctx.db, currentOrganiser(request).id, id);
    if (campaign === undefined) throw notFound('campaign');
    return campaign;
  }

  async function showDashboard(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    forms: { errors?: Record<string, string>; goal?: string; body?: string; notice?: string } = {},
  ) {
    const counts = await deliveryCountsFor(ctx, campaign);
    const [snapshot, updates, shortCode, expiring, xAccount] = await Promise.all([
      dashboardSnapshot(ctx, campaign, counts),
      listCampaignUpdates(ctx.db, campaign.id, 5),
      ensureShortLink(ctx.db, campaign.id),
      // Read when the page loads, not on every live update: it looks at the campaign's grants.
      isCampaignEditable(campaign.state) ? countAccessExpiringBeforeLaunch(ctx.db, campaign.id) : Promise.resolve([]),
      campaign.networks.includes('x') ? findCampaignAccount(ctx.db, campaign.id) : Promise.resolve(undefined),
    ]);
    return reply.header('cache-control', 'no-store').view('organiser/dashboard', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Dashboard: ${campaign.title}`,
      campaign: {
        id: campaign.id,
        slug: campaign.slug,
        title: campaign.title,
        editable: isCampaignEditable(campaign.state),
        draft: campaign.state === 'draft',
        goal: campaign.goal,
        launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
        timeZone: campaign.time_zone,
        shortUrl: new URL(`s/${shortCode}`, base).toString(),
      },
      expiring: expiring.map((e) => ({ network: networkName(ctx, e.network), pledges: e.pledges })).filter((e) => e.pledges > 0),
      xAccount: xAccountView(campaign, xAccount),
      snapshot,
      updates: updates.map((u) => ({ date: formatLaunchTime(u.created_at, campaign.time_zone), body: u.body })),
      errors: forms.errors ?? {},
      values: { goal: forms.goal ?? String(campaign.goal), body: forms.body ?? '' },
      notice: forms.notice,
      scripts: ['/vendor/chart.js/chart.umd.min.js', '/static/dashboard.js'],
    });
  }

  app.get('/organiser/campaigns/:id', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) =>
    showDashboard(request, reply, await ownCampaign(request, request.params.id)),
  );

  app.post(
    '/organiser/campaigns/:id/goal',
    { schema: { hide: true, params: CampaignIdParams, body: GoalForm }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const goalText = (request.body.goal ?? '').trim();
      const goal = /^\d{1,8}$/.test(goalText) ? Number(goalText) : Number.NaN;
      if (!(goal >= 1 && goal <= 10_000_000))
        return showDashboard(request, reply.code(400), campaign, {
          goal: goalText,
          errors: { goal: 'Give the new goal as a whole number of supporters.' },
        });
      try {
        const updated = await editCampaign(ctx, campaign, { goal });
        return await showDashboard(request, reply, updated, { notice: `The goal is now ${updated.goal} supporters.` });
      } catch (error) {
        if (error instanceof HttpError)
          return showDashboard(request, reply.code(error.statusCode), campaign, {
            goal: goalText,
            errors: { goal: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.` },
          });
        throw error;
      }
    },
  );

  app.post(
    '/organiser/campaigns/:id/updates',
    { schema: { hide: true, params: CampaignIdParams, body: UpdateForm }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const body = (request.body.body ?? '').trim().replaceAll('\r\n', '\n');
      if (body === '' || body.length > 5000)
        return showDashboard(request, reply.code(400), campaign, { body, errors: { body: 'Write the update (up to 5,000 characters).' } });
      await addCampaignUpdate(ctx.db, campaign.id, body);
      return showDashboard(request, reply, campaign, { notice: 'The update is on the campaign page.' });
    },
  );

  app.get('/organiser/campaigns/:id/events', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    raw.write('retry: 3000\n\n');
    let last = '';
    let busy = false;
    let lastWrite = Date.now();
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const current = await findCampaign(ctx.db, campaign.id);
        if (current === undefined) {
          end();
          return;
        }
        const counts = await deliveryCountsFor(ctx, current);
        const fingerprint = dashboardFingerprint(current, counts);
        if (fingerprint !== last) {
          last = fingerprint;
          raw.write(`event: snapshot\ndata: ${JSON.stringify(await dashboardSnapshot(ctx, current, counts))}\n\n`);
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
          raw.write(': still here\n\n');
          lastWrite = Date.now();
        }
      } catch (error) {
        request.log.warn({ err: error }, 'dashboard stream poll failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    const end = () => {
      clearInterval(timer);
      streams.delete(end);
      raw.end();
    };
    streams.add(end);
    request.raw.on('close', end);
    await poll();
  });

  app.get('/organiser/campaigns/:id/results.csv', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id);
    async function* rows() {
      yield 'handle,network,reach,state,post_url,reason,sent_at\n';
      let after: string | null = null;
      for (;;) {
        const page = await listDeliveryResults(ctx.db, campaign.id, 1000, after);
        for (const r of page) {
          const row = resultRow(r, networkName(ctx, r.network));
          yield `${[row.handle, row.network, row.reach, row.state, row.postUrl ?? '', row.reason, row.sentAt].map(csvField).join(',')}\n`;
        }
        const lastRow = page.at(-1);
        if (lastRow === undefined || page.length < 1000) return;
        after = lastRow.id;
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${campaign.slug}-results.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(rows()));
  });
};

/**
 * The campaign's own X account as the dashboard shows it, for campaigns that post to X: whether
 * it is connected, whether it can still change, and what repost mode needs.
 */
function xAccountView(campaign: Campaign, account: Awaited<ReturnType<typeof findCampaignAccount>>) {
  if (!campaign.networks.includes('x')) return null;
  const canChange = campaign.state === 'draft' || campaign.state === 'collecting';
  return {
    mode: campaign.x_mode,
    handle: account?.handle ?? null,
    connectUrl: canChange ? `/api/v1/campaigns/${campaign.id}/connect/x` : null,
    missing: campaign.x_mode === 'repost' && account === undefined,
    postState: account?.post_state ?? 'none',
    postFailure: account?.post_failure ?? null,
  };
}

export default reachDashboardPages;
