import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { campaignStates } from '../../../domain/campaign-state.ts';
import { requireOperator } from '../../../plugins/app/operator-guard.ts';
import { currentActor } from '../../../plugins/app/organiser-auth.ts';
import { auditPageLimits } from '../../../use-cases/audit-log/audit-page.ts';
import { approveCampaign } from '../../../use-cases/operators/approve-campaign.ts';
import { approveOrganiser } from '../../../use-cases/operators/approve-organiser.ts';
import { changeInstanceSettings } from '../../../use-cases/operators/change-instance-settings.ts';
import { closeReport } from '../../../use-cases/operators/close-report.ts';
import { createInvitation } from '../../../use-cases/operators/create-invitation.ts';
import { readInstancePolicy } from '../../../use-cases/operators/instance-policy.ts';
import { listNotableAccounts } from '../../../use-cases/operators/list-notable-accounts.ts';
import { listOpenReports } from '../../../use-cases/operators/list-open-reports.ts';
import { listOperatorCampaigns } from '../../../use-cases/operators/list-operator-campaigns.ts';
import { readWholeAuditLog } from '../../../use-cases/operators/read-whole-audit-log.ts';
import { readOperatorOverview } from '../../../use-cases/operators/read-operator-overview.ts';
import { reinstateCampaign } from '../../../use-cases/operators/reinstate-campaign.ts';
import { listOrganisationsForOperator } from '../../../use-cases/operators/list-operator-organisations.ts';
import { reinstateOrganisation } from '../../../use-cases/operators/reinstate-organisation.ts';
import { reinstateOrganiser } from '../../../use-cases/operators/reinstate-organiser.ts';
import { returnCampaign } from '../../../use-cases/operators/return-campaign.ts';
import { suspendCampaign } from '../../../use-cases/operators/suspend-campaign.ts';
import { suspendOrganisation } from '../../../use-cases/operators/suspend-organisation.ts';
import { suspendOrganiser } from '../../../use-cases/operators/suspend-organiser.ts';
import { trustOrganisation } from '../../../use-cases/operators/trust-organisation.ts';
import { wholeAuditLogCsv } from '../../../use-cases/operators/whole-audit-log-csv.ts';
import { sendCsvDownload } from '../../csv-download.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { AuditPageView, auditPageView, WholeAuditCsvQuery, WholeAuditPageQuery } from './audit-entry.schemas.ts';
import { CampaignIdParams, CampaignView, campaignView } from './campaign.schemas.ts';
import {
  CampaignStateQuery,
  InvitationBody,
  OperatorCampaignView,
  OperatorOrganisationView,
  OrganisationIdParams,
  OrganisationStandingView,
  OrganiserAccountView,
  OrganiserIdParams,
  PolicyView,
  ReportIdParams,
  ReportView,
  ReturnBody,
  SettingsBody,
  SuspendOrganisationBody,
  TrustBody,
  operatorCampaignView,
  operatorOrganisationView,
  organisationStandingView,
  organiserAccountView,
  policyView,
} from './operator.schemas.ts';

const tags = ['operator'];

/**
 * What operators do, under /api/v1/operator: review, suspend and reinstate campaigns, organisers and organisations,
 * approve organisers, trust organisations, set who may sign up and whether campaigns are reviewed, invite, read reports and the instance's
 * plan. The whole context is guarded (requireOperator as a hook): an operator with two-factor sign-in on, nobody else.
 */
const operatorRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  const publicUrl = ctx.config.PUBLIC_URL;
  // What operators read is private (accounts' emails, reporters' contacts, an invitation's token shown once): no cache keeps it.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // Before the body is validated: nobody but an operator learns what an operator route accepts.
  app.addHook('preValidation', requireOperator(app));
  app.addHook('preValidation', app.rateLimited('operator-per-organiser'));

  app.get(
    '/operator/overview',
    {
      schema: {
        tags,
        summary: "The instance at a glance: campaigns by state, the next 7 days' launches against the X budget, reviews, reports, health",
        response: {
          200: Type.Object({
            policy: PolicyView,
            campaignCounts: Type.Record(Type.String(), Type.Integer()),
            reviewsWaiting: Type.Array(OperatorCampaignView),
            launchDays: Type.Array(
              Type.Object({
                day: Type.String({ description: 'YYYY-MM-DD, UTC' }),
                campaignIds: Type.Array(Type.String()),
                xPosts: Type.Integer(),
                dailyAllowance: Type.Integer(),
                estimatedCost: Type.Number(),
                exceedsBudget: Type.Boolean(),
              }),
            ),
            currency: Type.Union([Type.String(), Type.Null()]),
            openReports: Type.Integer(),
            health: Type.Object({
              ok: Type.Boolean(),
              workers: Type.Integer(),
              waitingDeliveries: Type.Integer(),
              oldestWaitingSeconds: Type.Integer(),
            }),
          }),
        },
      },
    },
    async () => {
      const overview = valueOrHttpError(await readOperatorOverview(ctx));
      return {
        policy: policyView(overview.policy),
        campaignCounts: overview.campaignCounts,
        reviewsWaiting: overview.reviewsWaiting.map((campaign) => operatorCampaignView(campaign, publicUrl)),
        launchDays: overview.launchDays.map((day) => ({
          day: day.day,
          campaignIds: [...day.launchIds],
          xPosts: day.preflight.pledges,
          dailyAllowance: day.preflight.dailyAllowance,
          estimatedCost: day.preflight.estimatedCost,
          exceedsBudget: day.exceedsBudget,
        })),
        currency: overview.xPlan?.currency ?? null,
        openReports: overview.openReports.length,
        health: {
          ok: overview.health.ok,
          workers: overview.health.workers,
          waitingDeliveries: overview.health.waitingDeliveries,
          oldestWaitingSeconds: overview.health.oldestWaitingSeconds,
        },
      };
    },
  );

  app.get(
    '/operator/campaigns',
    {
      schema: {
        tags,
        summary: `Every campaign in a state (${campaignStates.join(', ')}), soonest launch first`,
        querystring: CampaignStateQuery,
        response: { 200: Type.Array(OperatorCampaignView) },
      },
    },
    async (request) =>
      valueOrHttpError(await listOperatorCampaigns(db, request.query.state)).map((c) => operatorCampaignView(c, publicUrl)),
  );

  const campaignAction = (summary: string) => ({ schema: { tags, summary, params: CampaignIdParams, response: { 200: CampaignView } } });
  app.post(
    '/operator/campaigns/:id/approve',
    campaignAction('Approve a campaign waiting for review: it opens to supporters'),
    async (request) => campaignView(valueOrHttpError(await approveCampaign(ctx, currentActor(request), request.params.id)), publicUrl),
  );
  app.post(
    '/operator/campaigns/:id/return',
    {
      schema: {
        tags,
        summary: 'Return a campaign waiting for review to its organiser, with the reason',
        params: CampaignIdParams,
        body: ReturnBody,
        response: { 200: CampaignView },
      },
    },
    async (request) =>
      campaignView(valueOrHttpError(await returnCampaign(db, currentActor(request), request.params.id, request.body.reason)), publicUrl),
  );
  app.post(
    '/operator/campaigns/:id/suspend',
    campaignAction("Suspend a campaign before its launch: it stops collecting and its supporters' grants are erased"),
    async (request) => campaignView(valueOrHttpError(await suspendCampaign(ctx, currentActor(request), request.params.id)), publicUrl),
  );
  app.post(
    '/operator/campaigns/:id/reinstate',
    campaignAction('Lift a suspension, before the launch: the campaign goes back to where it was'),
    async (request) => campaignView(valueOrHttpError(await reinstateCampaign(ctx, currentActor(request), request.params.id)), publicUrl),
  );

  app.get(
    '/operator/organisers',
    {
      schema: {
        tags,
        summary: 'Accounts to know about: waiting for approval, suspended, and the operators',
        response: { 200: Type.Array(OrganiserAccountView) },
      },
    },
    async () => valueOrHttpError(await listNotableAccounts(db)).map(organiserAccountView),
  );
  const organiserAction = (summary: string) => ({
    schema: { tags, summary, params: OrganiserIdParams, response: { 200: OrganiserAccountView } },
  });
  app.post('/operator/organisers/:id/approve', organiserAction('Approve an account waiting for approval'), async (request) =>
    organiserAccountView(valueOrHttpError(await approveOrganiser(db, currentActor(request), request.params.id))),
  );
  app.post(
    '/operator/organisers/:id/suspend',
    organiserAction('Suspend an organiser: their sessions and API tokens stop working and their campaigns before launch are suspended'),
    async (request) =>
      organiserAccountView(valueOrHttpError(await suspendOrganiser(ctx, currentActor(request), request.params.id)).organiser),
  );
  app.post(
    '/operator/organisers/:id/reinstate',
    organiserAction("Lift an organiser's suspension, and that of the campaigns suspended with them (before their launch)"),
    async (request) =>
      organiserAccountView(valueOrHttpError(await reinstateOrganiser(ctx, currentActor(request), request.params.id)).organiser),
  );

  app.get(
    '/operator/organisations',
    {
      schema: {
        tags,
        summary: 'Organisations with their owners, campaigns, trust and standing: the suspended first, then the trusted, then the newest',
        response: { 200: Type.Array(OperatorOrganisationView) },
      },
    },
    async () => valueOrHttpError(await listOrganisationsForOperator(db)).map(operatorOrganisationView),
  );
  app.put(
    '/operator/organisations/:id/trust',
    {
      schema: {
        tags,
        summary: 'Trust an organisation (its campaigns skip review, whichever member publishes), or stop',
        params: OrganisationIdParams,
        body: TrustBody,
        response: { 200: OrganisationStandingView },
      },
    },
    async (request) =>
      organisationStandingView(
        valueOrHttpError(await trustOrganisation(db, currentActor(request), request.params.id, request.body.trusted)),
      ),
  );
  app.post(
    '/operator/organisations/:id/suspend',
    {
      schema: {
        tags,
        summary:
          "Suspend an organisation: every request acting on it is refused (403, reason organisation-suspended) and its campaigns before launch are suspended, their supporters' grants erased",
        params: OrganisationIdParams,
        body: SuspendOrganisationBody,
        response: { 200: Type.Object({ ...OrganisationStandingView.properties, campaignsSuspended: Type.Integer() }) },
      },
    },
    async (request) => {
      const suspended = valueOrHttpError(await suspendOrganisation(ctx, currentActor(request), request.params.id, request.body.reason));
      return { ...organisationStandingView(suspended.organisation), campaignsSuspended: suspended.campaignsSuspended };
    },
  );
  app.post(
    '/operator/organisations/:id/reinstate',
    {
      schema: {
        tags,
        summary: "Lift an organisation's suspension, and that of the campaigns suspended with it (before their launch)",
        params: OrganisationIdParams,
        response: { 200: Type.Object({ ...OrganisationStandingView.properties, campaignsReinstated: Type.Integer() }) },
      },
    },
    async (request) => {
      const reinstated = valueOrHttpError(await reinstateOrganisation(ctx, currentActor(request), request.params.id));
      return { ...organisationStandingView(reinstated.organisation), campaignsReinstated: reinstated.campaignsReinstated };
    },
  );

  app.get(
    '/operator/settings',
    { schema: { tags, summary: 'Who may sign up, and whether campaigns are reviewed', response: { 200: PolicyView } } },
    async () => policyView(await readInstancePolicy(db, ctx.config)),
  );
  app.put(
    '/operator/settings',
    {
      schema: {
        tags,
        summary: 'Set who may sign up and whether campaigns are reviewed',
        body: SettingsBody,
        response: { 200: PolicyView },
      },
    },
    async (request) => policyView(valueOrHttpError(await changeInstanceSettings(db, currentActor(request), ctx.config, request.body))),
  );

  app.post(
    '/operator/invitations',
    {
      schema: {
        tags,
        summary: 'Make a single-use invitation link to sign up (shown once)',
        body: InvitationBody,
        response: {
          201: Type.Object({
            id: Type.String(),
            url: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            mailed: Type.Boolean({ description: 'whether the link was also mailed to the address given' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const made = valueOrHttpError(await createInvitation(ctx, currentActor(request), request.body));
      return reply.code(201).send({ id: made.id, url: made.url, expiresAt: made.expiresAt.toISOString(), mailed: made.mailed });
    },
  );

  app.get(
    '/operator/reports',
    { schema: { tags, summary: 'Open reports about campaigns, oldest first', response: { 200: Type.Array(ReportView) } } },
    async () =>
      valueOrHttpError(await listOpenReports(db)).map((report) => ({
        id: report.id,
        campaign: { id: report.campaign_id, title: report.campaign_title, slug: report.campaign_slug, state: report.campaign_state },
        reason: report.reason,
        contact: report.contact,
        createdAt: report.created_at.toISOString(),
      })),
  );
  app.post(
    '/operator/reports/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a report (dealt with, or nothing to do)',
        params: ReportIdParams,
        response: { 200: Type.Object({ id: Type.String(), closedAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request) => {
      const closed = valueOrHttpError(await closeReport(db, currentActor(request), request.params.id));
      return { id: closed.id, closedAt: (closed.closed_at ?? new Date()).toISOString() };
    },
  );
  // Every organisation's entries and the instance's own (settings, standing): limited like the owners' log, the CSV reads it all.
  const auditReads = app.rateLimited('audit-log-per-organiser');
  app.get(
    '/operator/audit-log',
    {
      preHandler: auditReads,
      schema: {
        tags,
        summary:
          'The whole audit log (every organisation, and instance-wide changes), newest first, a page at a time, filtered by organisation, action, actor and days',
        querystring: WholeAuditPageQuery,
        response: { 200: AuditPageView },
      },
    },
    async (request) =>
      auditPageView(
        valueOrHttpError(
          await readWholeAuditLog(
            db,
            { before: request.query.before, limit: request.query.limit ?? auditPageLimits.default },
            request.query,
          ),
        ),
      ),
  );
  app.get(
    '/operator/audit-log.csv',
    {
      preHandler: auditReads,
      schema: {
        tags,
        summary: 'The whole audit log as CSV, with each entry’s organisation: every entry, or those the filters keep',
        querystring: WholeAuditCsvQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => sendCsvDownload(reply, 'audit-log.csv', valueOrHttpError(wholeAuditLogCsv(db, request.query))),
  );
};

export default operatorRoutes;
