import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { MAX_GOAL } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { can } from '../../domain/organisation-role.ts';
import { currentActor, currentOrganiser, sessionTokenOf } from '../../plugins/app/organiser-auth.ts';
import type { Campaign } from '../../storage/database.ts';
import { campaignResultsCsv } from '../../use-cases/campaign-views/campaign-results-csv.ts';
import { describeCampaignPost, networkName } from '../../use-cases/campaign-views/dashboard-snapshot.ts';
import { readDashboard } from '../../use-cases/campaign-views/read-dashboard.ts';
import { readLiveDashboard } from '../../use-cases/campaign-views/read-live-dashboard.ts';
import { recheckDashboardAccess } from '../../use-cases/campaign-views/recheck-dashboard-access.ts';
import { editCampaign } from '../../use-cases/campaigns/edit-campaign.ts';
import { findMemberCampaign, type MemberCampaign } from '../../use-cases/organisations/organisation-access.ts';
import { postCampaignUpdate } from '../../use-cases/campaigns/post-campaign-update.ts';
import { displayHandle } from '../../use-cases/campaign-views/account-handle.ts';
import { eraseSupporter } from '../../use-cases/supporter-data/erase-supporter.ts';
import { CampaignIdParams } from '../api/v1/campaign.schemas.ts';
import { asSentence, fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { approvalProblem } from '../../domain/campaign-review.ts';
import { pageLocals } from './page-locals.ts';
import { readerLocale } from './reader-locale.ts';

const GoalForm = Type.Object({ _csrf: Type.Optional(Type.String()), goal: Type.Optional(Type.String({ maxLength: 20 })) });
const UpdateForm = Type.Object({ _csrf: Type.Optional(Type.String()), body: Type.Optional(Type.String({ maxLength: 20_000 })) });
// Postgres refuses NUL in text: a clear 400 rather than its error.
const DashboardQuery = Type.Object({ supporter: Type.Optional(Type.String({ maxLength: 300, pattern: '^[^\\u0000]*$' })) });
const EraseForm = Type.Object({ _csrf: Type.Optional(Type.String()) });
const SupporterParams = Type.Object({ ...CampaignIdParams.properties, pledgeId: Type.String({ format: 'uuid' }) });

/** How often an open dashboard looks for changes: one primary-key read of the campaign row. */
const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

/** The organiser's live reach dashboard, its server-sent events, the goal and update forms, and the CSV export. */
const reachDashboardPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  app.addHook('preHandler', requireOrganiserPage(app));
  const streams = new Set<() => void>();
  // Open event streams would hold the server open: end them when the app closes.
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  /** A campaign of one of the caller's organisations, with their role in it (every member may read it). */
  async function ownCampaign(request: FastifyRequest, id: string): Promise<MemberCampaign> {
    return valueOrHttpError(await findMemberCampaign(ctx.db, currentOrganiser(request).id, id, 'read-campaigns'));
  }

  async function showDashboard(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: MemberCampaign,
    forms: { errors?: Record<string, string>; goal?: string; body?: string; notice?: string; supporterSearch?: string } = {},
  ) {
    const search = forms.supporterSearch?.trim();
    const canEdit = can(campaign.member_role, 'edit-campaigns');
    const locale = readerLocale(request);
    const numbers = new Intl.NumberFormat(locale);
    const { snapshot, updates, shareTools, expiring, xAccount, supporters, supportersListed } = await readDashboard(
      ctx,
      campaign,
      locale,
      search === '' ? undefined : search,
    );
    return reply.header('cache-control', 'no-store').view('organiser/dashboard', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Dashboard: ${campaign.title}`,
      locale,
      number: (n: number) => numbers.format(n),
      campaign: {
        id: campaign.id,
        slug: campaign.slug,
        title: campaign.title,
        // A viewer sees the dashboard and results, without the forms that change the campaign.
        editable: isCampaignEditable(campaign.state) && canEdit,
        canEdit,
        role: campaign.member_role,
        draft: campaign.state === 'draft',
        inReview: campaign.state === 'in_review',
        suspended: campaign.state === 'suspended',
        reviewNote: campaign.review_note,
        // Its launch time passed while it waited for review: the organiser must pick a new one before it can be approved.
        launchPassedInReview: campaign.state === 'in_review' && approvalProblem(campaign.launch_at, new Date()) !== null,
        goal: campaign.goal,
        launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
        timeZone: campaign.time_zone,
        shortUrl: shareTools.shortUrl,
      },
      expiring: expiring.map((e) => ({ network: networkName(ctx, e.network), pledges: e.pledges })).filter((e) => e.pledges > 0),
      xAccount: xAccountView(campaign, xAccount, canEdit),
      snapshot,
      updates: updates.map((u) => ({ date: formatLaunchTime(u.created_at, campaign.time_zone), body: u.body })),
      supporters: {
        search: search ?? '',
        rows: supporters.map((s) => ({
          pledgeId: s.pledgeId,
          handle: displayHandle(s.network, s.handle),
          network: networkName(ctx, s.network),
          reach: numbers.format(s.followers),
          withdrawn: s.state === 'withdrawn',
          shownPublicly: s.shownPublicly,
        })),
        truncated: supporters.length === supportersListed,
        // Erasing waits while a launch is under way; before it, erasing also withdraws the pledge.
        erasable: campaign.state !== 'launching' && can(campaign.member_role, 'erase-supporters'),
        beforeLaunch: campaign.state === 'collecting',
        erasedAt: campaign.supporters_erased_at === null ? null : formatLaunchTime(campaign.supporters_erased_at, campaign.time_zone),
        retentionDays: ctx.config.SUPPORTER_DATA_RETENTION_DAYS,
      },
      shareTools,
      errors: forms.errors ?? {},
      values: { goal: forms.goal ?? String(campaign.goal), body: forms.body ?? '' },
      notice: forms.notice,
      scripts: [
        '/vendor/chart.js/chart.umd.min.js',
        '/vendor/luxon/luxon.min.js',
        '/vendor/chartjs-adapter-luxon/chartjs-adapter-luxon.umd.min.js',
        '/static/dashboard.js',
        '/static/share-links.js',
      ],
    });
  }

  app.get(
    '/organiser/campaigns/:id',
    { schema: { hide: true, params: CampaignIdParams, querystring: DashboardQuery } },
    async (request, reply) =>
      showDashboard(request, reply, await ownCampaign(request, request.params.id), { supporterSearch: request.query.supporter }),
  );

  app.post(
    '/organiser/campaigns/:id/supporters/:pledgeId/erase',
    { schema: { hide: true, params: SupporterParams, body: EraseForm }, preValidation: csrf },
    async (request, reply) => {
      const erased = await eraseSupporter(ctx.db, currentActor(request), request.params.id, request.params.pledgeId);
      // Read after the erasure, so the numbers and the list show it.
      const campaign = await ownCampaign(request, request.params.id);
      switch (erased.kind) {
        case 'done': {
          const { handle, network, withdrawn } = erased.value;
          const who = `${displayHandle(network, handle)} on ${networkName(ctx, network)}`;
          return showDashboard(request, reply, campaign, {
            notice: withdrawn
              ? `${who}: the pledge is withdrawn (nothing will be posted from that account) and everything Chorus held about them for this campaign is erased.`
              : `${who}: everything Chorus held about them for this campaign is erased. The totals stay as they were.`,
          });
        }
        case 'not-found':
        case 'conflict':
          return showDashboard(request, reply.code(problemStatus[erased.kind]), campaign, {
            errors: {
              supporters: asSentence(
                erased.kind === 'not-found' ? 'that supporter is not (or no longer) in this campaign' : erased.message,
              ),
            },
          });
        case 'invalid':
        case 'unauthenticated':
        case 'forbidden':
        case 'unpostable':
          return showDashboard(request, reply.code(problemStatus[erased.kind]), campaign, {
            errors: { supporters: asSentence(erased.message) },
          });
      }
    },
  );

  app.post(
    '/organiser/campaigns/:id/goal',
    { schema: { hide: true, params: CampaignIdParams, body: GoalForm }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const goalText = (request.body.goal ?? '').trim();
      const goal = /^\d{1,8}$/.test(goalText) ? Number(goalText) : Number.NaN;
      if (!(goal >= 1 && goal <= MAX_GOAL))
        return showDashboard(request, reply.code(400), campaign, {
          goal: goalText,
          errors: { goal: 'Give the new goal as a whole number of supporters.' },
        });
      const edited = await editCampaign(ctx, currentActor(request), campaign.id, { goal });
      if (edited.kind !== 'done')
        return showDashboard(request, reply.code(problemStatus[edited.kind]), campaign, {
          goal: goalText,
          errors: { goal: asSentence(edited.message) },
        });
      return showDashboard(
        request,
        reply,
        { ...edited.value, member_role: campaign.member_role, organisation_standing: campaign.organisation_standing },
        { notice: `The goal is now ${edited.value.goal} supporters.` },
      );
    },
  );

  app.post(
    '/organiser/campaigns/:id/updates',
    { schema: { hide: true, params: CampaignIdParams, body: UpdateForm }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const body = (request.body.body ?? '').trim().replaceAll('\r\n', '\n');
      const posted = await postCampaignUpdate(ctx.db, currentActor(request), campaign.id, body);
      if (posted.kind !== 'done')
        return showDashboard(request, reply.code(problemStatus[posted.kind]), campaign, { body, errors: fieldMessagesOf(posted) });
      return showDashboard(request, reply, campaign, { notice: 'The update is on the campaign page.' });
    },
  );

  app.get('/organiser/campaigns/:id/events', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id);
    const locale = readerLocale(request);
    // Access is checked again while the stream is open, at most every DASHBOARD_ACCESS_RECHECK_SECONDS, not per poll.
    const sessionToken = sessionTokenOf(request);
    const recheckMs = ctx.config.DASHBOARD_ACCESS_RECHECK_SECONDS * 1000;
    let checkedAt = Date.now();
    reply.hijack();
    const raw = reply.raw;
    // A hijacked reply sends only what is written here: the security headers set for every page go too.
    const pageHeaders = Object.entries(reply.getHeaders()).filter(
      (header): header is [string, string | number | string[]] => header[1] !== undefined,
    );
    raw.writeHead(200, {
      ...Object.fromEntries(pageHeaders),
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
        if (Date.now() - checkedAt >= recheckMs) {
          const access = await recheckDashboardAccess(ctx.db, app.organiserSessions.lifetimes, sessionToken, campaign.id);
          checkedAt = Date.now();
          if (access.kind !== 'done') {
            // A last event says why, so the page can say so and stop (EventSource would otherwise reconnect).
            if (!raw.writableEnded)
              raw.write(`event: refused\ndata: ${JSON.stringify({ message: asSentence(`live updates stopped: ${access.message}`) })}\n\n`);
            end();
            return;
          }
        }
        const live = await readLiveDashboard(ctx, campaign.id, last, locale);
        switch (live.kind) {
          case 'gone':
            end();
            return;
          case 'changed':
            last = live.fingerprint;
            raw.write(`event: snapshot\ndata: ${JSON.stringify(live.snapshot)}\n\n`);
            lastWrite = Date.now();
            break;
          case 'unchanged':
            if (Date.now() - lastWrite > HEARTBEAT_MS) {
              raw.write(': still here\n\n');
              lastWrite = Date.now();
            }
            break;
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
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${campaign.slug}-results.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(campaignResultsCsv(ctx, campaign)));
  });
};

/**
 * The campaign's own X account as the dashboard shows it, for campaigns that post to X: whether
 * it is connected, whether it can still change, and what repost mode needs.
 */
function xAccountView(campaign: Campaign, account: Awaited<ReturnType<typeof readDashboard>>['xAccount'], canEdit: boolean) {
  if (!campaign.networks.includes('x')) return null;
  const canChange = isCampaignEditable(campaign.state) && canEdit;
  return {
    mode: campaign.x_mode,
    handle: account?.handle ?? null,
    connectUrl: canChange ? `/api/v1/campaigns/${campaign.id}/connect/x` : null,
    missing: campaign.x_mode === 'repost' && account === undefined,
    postSentence: describeCampaignPost(account),
  };
}

export default reachDashboardPages;
