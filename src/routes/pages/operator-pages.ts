import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { signUpModes } from '../../domain/sign-up-mode.ts';
import { currentActor, currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { auditPageLimits } from '../../use-cases/audit-log/audit-page.ts';
import { approveCampaign } from '../../use-cases/operators/approve-campaign.ts';
import { approveOrganiser } from '../../use-cases/operators/approve-organiser.ts';
import { changeInstanceSettings } from '../../use-cases/operators/change-instance-settings.ts';
import { closeReport } from '../../use-cases/operators/close-report.ts';
import { createInvitation } from '../../use-cases/operators/create-invitation.ts';
import { readWholeAuditLog } from '../../use-cases/operators/read-whole-audit-log.ts';
import { readOperatorOverview } from '../../use-cases/operators/read-operator-overview.ts';
import { reinstateCampaign } from '../../use-cases/operators/reinstate-campaign.ts';
import { reinstateOrganisation } from '../../use-cases/operators/reinstate-organisation.ts';
import { reinstateOrganiser } from '../../use-cases/operators/reinstate-organiser.ts';
import { returnCampaign } from '../../use-cases/operators/return-campaign.ts';
import { suspendCampaign } from '../../use-cases/operators/suspend-campaign.ts';
import { suspendOrganisation } from '../../use-cases/operators/suspend-organisation.ts';
import { suspendOrganiser } from '../../use-cases/operators/suspend-organiser.ts';
import { trustOrganisation } from '../../use-cases/operators/trust-organisation.ts';
import { wholeAuditLogCsv } from '../../use-cases/operators/whole-audit-log-csv.ts';
import type { OrganiserActor } from '../../use-cases/organisations/audit-actor.ts';
import type { Outcome } from '../../use-cases/use-case-outcome.ts';
import { asSentence, fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { sendCsvDownload } from '../csv-download.ts';
import { auditEntryRow } from './audit-entry-row.ts';
import { auditFilterForm, auditPageLinks, WholeAuditFilterPageQuery } from './audit-filter-form.ts';
import { requireOperatorPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const ReturnForm = Type.Object({ _csrf: Type.Optional(Type.String()), reason: Type.Optional(Type.String({ maxLength: 5000 })) });
const TrustForm = Type.Object({ _csrf: Type.Optional(Type.String()), trusted: Type.Optional(Type.Enum(['yes', 'no'])) });
const SuspendOrganisationForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ maxLength: 5000 })),
});
const SettingsForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  signUpMode: Type.Optional(Type.String({ maxLength: 50 })),
  campaignReview: Type.Optional(Type.Enum(['on', 'off'])),
  contactEmail: Type.Optional(Type.String({ maxLength: 500 })),
});
// Typed by a person: read as text, so that anything but a whole number gets its message beside the field.
const InvitationForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  expiresInDays: Type.Optional(Type.String({ maxLength: 20 })),
  email: Type.Optional(Type.String({ maxLength: 500 })),
});

const signUpModeLabels = {
  open: 'Open: anyone may sign up',
  approval: 'Open with approval: an operator approves each new account',
  invitation: 'Invitation only: a single-use link from an operator',
} as const;

/**
 * The operator's view (`/operator`) and its forms: review (approve, return with a reason), suspend and reinstate
 * campaigns, organisers and organisations, approve organisers, trust organisations, the instance's settings, invitations and reports. Every
 * route is behind requireOperatorPage (a hook on the whole context); each form calls one use case.
 */
const operatorPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  app.addHook('preHandler', requireOperatorPage(app));
  app.addHook('preHandler', app.rateLimited('operator-per-organiser'));

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    flash: { notice?: string; errors?: Record<string, string>; invitationUrl?: string; invitationMailed?: boolean; failedId?: string } = {},
  ) {
    const o = valueOrHttpError(await readOperatorOverview(ctx));
    const when = (at: Date, zone = 'UTC') => formatLaunchTime(at, zone);
    const campaignRow = (c: (typeof o.reviewsWaiting)[number]) => ({
      id: c.id,
      title: c.title,
      slug: c.slug,
      organiser: c.organiser_name ?? 'a deleted account',
      organiserId: c.organiser_id,
      launchAt: when(c.launch_at, c.time_zone),
      launchPassed: c.launch_at.getTime() <= Date.now(),
      supporters: c.supporter_count,
      message: c.message,
      variants: c.variants,
      link: c.link,
      networks: c.networks.join(', '),
    });
    return reply.view('operator/overview', {
      ...pageLocals(request, reply, { forms: true }),
      title: 'Operator',
      notice: flash.notice,
      errors: flash.errors ?? {},
      invitationUrl: flash.invitationUrl,
      invitationMailed: flash.invitationMailed ?? false,
      sendsMail: ctx.config.SMTP_URL !== undefined,
      // The campaign whose form was refused: its message goes beside that form's field.
      failedId: flash.failedId,
      policy: o.policy,
      signUpModes: signUpModes.map((mode) => ({ mode, label: signUpModeLabels[mode] })),
      counts: Object.entries(o.campaignCounts).map(([state, n]) => ({ state: state.replace('_', ' '), n })),
      reviews: o.reviewsWaiting.map(campaignRow),
      suspended: o.suspended.map(campaignRow),
      collecting: o.collecting.map(campaignRow),
      launches: o.upcomingLaunches.map((l) => ({
        title: l.title,
        slug: l.slug,
        state: l.state.replace('_', ' '),
        organiser: l.organiser_name ?? 'a deleted account',
        launchAt: when(l.launch_at),
        xPosts: l.networks.includes('x') ? l.x_supporters : 0,
      })),
      days: o.launchDays.map((d) => ({
        day: d.day,
        launches: d.launchIds.length,
        xPosts: d.preflight.pledges,
        allowance: d.preflight.dailyAllowance,
        cost: d.preflight.estimatedCost.toFixed(2),
        over: d.preflight.overAllowance,
        exceeds: d.exceedsBudget,
      })),
      currency: o.xPlan?.currency ?? '',
      reports: o.openReports.map((r) => ({
        id: r.id,
        title: r.campaign_title,
        slug: r.campaign_slug,
        campaignId: r.campaign_id,
        state: r.campaign_state,
        reason: r.reason,
        contact: r.contact,
        at: when(r.created_at),
      })),
      organisers: o.organisers.map((a) => ({
        id: a.id,
        name: a.name,
        email: a.email,
        role: a.role,
        standing: a.standing.replace('_', ' '),
        awaitingApproval: a.standing === 'awaiting_approval',
        suspended: a.standing === 'suspended',
        self: a.id === currentOrganiser(request).id,
      })),
      organisations: o.organisations.map((g) => ({
        id: g.id,
        name: g.name,
        owners: g.owners.join(', '),
        campaigns: g.campaign_count,
        trusted: g.trusted,
        suspended: g.standing === 'suspended',
        suspendedAt: g.suspended_at === null ? '' : when(g.suspended_at),
        reason: g.suspension_reason ?? '',
      })),
      invitations: o.invitations.map((i) => ({ id: i.id, expiresAt: when(i.expires_at) })),
      health: o.health,
    });
  }

  /** Renders the view again after an action: its notice, or its problem beside the form (with the problem's status). */
  async function after<T>(request: FastifyRequest, reply: FastifyReply, outcome: Outcome<T>, notice: (value: T) => string) {
    if (outcome.kind === 'done') return show(request, reply, { notice: notice(outcome.value) });
    const failedId = (request.params as { id?: string }).id;
    return show(request, reply.code(problemStatus[outcome.kind]), {
      errors: fieldMessagesOf(outcome),
      ...(failedId === undefined ? {} : { failedId }),
    });
  }

  app.get('/operator', { schema: { hide: true } }, async (request, reply) => show(request, reply));

  // The whole log, every organisation's and the instance's own: limited like the owners' log (the CSV reads it all).
  const auditReads = app.rateLimited('audit-log-per-organiser');
  app.get(
    '/operator/audit-log',
    { schema: { hide: true, querystring: WholeAuditFilterPageQuery }, preHandler: auditReads },
    async (request, reply) => {
      const filter = request.query;
      const read = await readWholeAuditLog(ctx.db, { before: request.query.before, limit: auditPageLimits.default }, filter);
      // A filter refused is shown beside its field, with no entries; any other problem is the error page.
      const page = read.kind === 'invalid' ? { entries: [], nextBefore: null } : valueOrHttpError(read);
      reply.header('cache-control', 'no-store');
      return reply.code(read.kind === 'invalid' ? 400 : 200).view('operator/audit-log', {
        ...pageLocals(request, reply),
        title: 'Audit log',
        retentionDays: ctx.config.AUDIT_LOG_RETENTION_DAYS,
        entries: page.entries.map((entry) => auditEntryRow(entry, 'id-only')),
        filter: auditFilterForm(filter),
        errors: read.kind === 'invalid' ? fieldMessagesOf(read) : {},
        ...auditPageLinks('/operator/audit-log', filter, read.kind === 'invalid' ? 'refused' : page),
      });
    },
  );
  app.get(
    '/operator/audit-log.csv',
    { schema: { hide: true, querystring: WholeAuditFilterPageQuery }, preHandler: auditReads },
    async (request, reply) => sendCsvDownload(reply, 'audit-log.csv', valueOrHttpError(wholeAuditLogCsv(ctx.db, request.query))),
  );

  const idForm = { schema: { hide: true, params: IdParams, body: CsrfOnly }, preValidation: csrf };
  /** A button's form acting on the thing its path names: one use case, then the view with its notice or its refusal. */
  function postIdForm<T>(path: string, act: (actor: OrganiserActor, id: string) => Promise<Outcome<T>>, notice: (value: T) => string) {
    app.post(path, idForm, async (request, reply) => after(request, reply, await act(currentActor(request), request.params.id), notice));
  }
  postIdForm(
    '/operator/campaigns/:id/approve',
    (actor, id) => approveCampaign(ctx, actor, id),
    (c) => `Approved “${c.title}”: it is open to supporters.`,
  );
  app.post(
    '/operator/campaigns/:id/return',
    { schema: { hide: true, params: IdParams, body: ReturnForm }, preValidation: csrf },
    async (request, reply) =>
      after(
        request,
        reply,
        await returnCampaign(ctx.db, currentActor(request), request.params.id, request.body.reason ?? ''),
        (c) => `Returned “${c.title}” to its organiser.`,
      ),
  );
  postIdForm(
    '/operator/campaigns/:id/suspend',
    (actor, id) => suspendCampaign(ctx, actor, id),
    (c) => `Suspended “${c.title}”; its supporters' access was deleted.`,
  );
  postIdForm(
    '/operator/campaigns/:id/reinstate',
    (actor, id) => reinstateCampaign(ctx, actor, id),
    (c) => `Lifted the suspension of “${c.title}”.`,
  );
  postIdForm(
    '/operator/organisers/:id/approve',
    (actor, id) => approveOrganiser(ctx.db, actor, id),
    (a) => `Approved ${a.email}.`,
  );
  postIdForm(
    '/operator/organisers/:id/suspend',
    (actor, id) => suspendOrganiser(ctx, actor, id),
    (s) => `Suspended ${s.organiser.email} and ${s.campaignsSuspended} of their campaigns.`,
  );
  postIdForm(
    '/operator/organisers/:id/reinstate',
    (actor, id) => reinstateOrganiser(ctx, actor, id),
    (r) => `Lifted the suspension of ${r.organiser.email} and ${r.campaignsReinstated} of their campaigns.`,
  );
  app.post(
    '/operator/organisations/:id/trust',
    { schema: { hide: true, params: IdParams, body: TrustForm }, preValidation: csrf },
    async (request, reply) =>
      after(
        request,
        reply,
        await trustOrganisation(ctx.db, currentActor(request), request.params.id, request.body.trusted === 'yes'),
        (g) => (g.trusted ? `${g.name}'s campaigns now skip review.` : `${g.name}'s campaigns are reviewed again.`),
      ),
  );
  app.post(
    '/operator/organisations/:id/suspend',
    { schema: { hide: true, params: IdParams, body: SuspendOrganisationForm }, preValidation: csrf },
    async (request, reply) =>
      after(
        request,
        reply,
        await suspendOrganisation(ctx, currentActor(request), request.params.id, request.body.reason ?? ''),
        (s) => `Suspended ${s.organisation.name} and ${s.campaignsSuspended} of its campaigns.`,
      ),
  );
  postIdForm(
    '/operator/organisations/:id/reinstate',
    (actor, id) => reinstateOrganisation(ctx, actor, id),
    (r) => `Lifted the suspension of ${r.organisation.name} and ${r.campaignsReinstated} of its campaigns.`,
  );
  app.post('/operator/settings', { schema: { hide: true, body: SettingsForm }, preValidation: csrf }, async (request, reply) =>
    after(
      request,
      reply,
      await changeInstanceSettings(ctx.db, currentActor(request), ctx.config, {
        ...(request.body.signUpMode === undefined ? {} : { signUpMode: request.body.signUpMode }),
        campaignReview: request.body.campaignReview === 'on',
        ...(request.body.contactEmail === undefined ? {} : { contactEmail: request.body.contactEmail }),
      }),
      () => 'Settings saved.',
    ),
  );
  app.post('/operator/invitations', { schema: { hide: true, body: InvitationForm }, preValidation: csrf }, async (request, reply) => {
    const typed = request.body.expiresInDays?.trim() ?? '';
    const outcome = await createInvitation(ctx, currentActor(request), {
      expiresInDays: typed === '' ? undefined : Number(typed),
      email: request.body.email,
    });
    if (outcome.kind !== 'done') return show(request, reply.code(problemStatus[outcome.kind]), { errors: fieldMessagesOf(outcome) });
    // Shown once, here: only its hash is kept.
    return show(request, reply.code(201), {
      notice: asSentence(
        `invitation made${outcome.value.mailed ? ' and mailed' : ''}; it works once, until ${formatLaunchTime(outcome.value.expiresAt, 'UTC')}`,
      ),
      invitationUrl: outcome.value.url,
      invitationMailed: outcome.value.mailed,
    });
  });
  postIdForm(
    '/operator/reports/:id/close',
    (actor, id) => closeReport(ctx.db, actor, id),
    () => 'Report closed.',
  );
};

export default operatorPages;
