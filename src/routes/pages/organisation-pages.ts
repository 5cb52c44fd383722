import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { can, isOrganisationRole, organisationRoles } from '../../domain/organisation-role.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { currentActor, currentOrganiser, isSignedIn } from '../../plugins/app/organiser-auth.ts';
import { auditPageLimits } from '../../use-cases/audit-log/audit-page.ts';
import { acceptInvitation } from '../../use-cases/organisations/accept-invitation.ts';
import { auditLogCsv } from '../../use-cases/organisations/audit-log-csv.ts';
import { changeMemberRole } from '../../use-cases/organisations/change-member-role.ts';
import { createOrganisation } from '../../use-cases/organisations/create-organisation.ts';
import { findInvitation } from '../../use-cases/organisations/find-invitation.ts';
import { invitationLifetimeDays } from '../../use-cases/organisations/invitation-token.ts';
import { inviteMember } from '../../use-cases/organisations/invite-member.ts';
import { listInvitations } from '../../use-cases/organisations/list-invitations.ts';
import { readAuditLog } from '../../use-cases/organisations/read-audit-log.ts';
import { readOrganisation } from '../../use-cases/organisations/read-organisation.ts';
import { removeMember } from '../../use-cases/organisations/remove-member.ts';
import { renameOrganisation } from '../../use-cases/organisations/rename-organisation.ts';
import { withdrawInvitation } from '../../use-cases/organisations/withdraw-invitation.ts';
import type { Problem } from '../../use-cases/use-case-outcome.ts';
import { HttpError } from '../http-error.ts';
import { asSentence, fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { sendCsvDownload } from '../csv-download.ts';
import { auditEntryRow } from './audit-entry-row.ts';
import { AuditFilterPageQuery, auditFilterForm, auditPageLinks } from './audit-filter-form.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const Uuid = Type.String({ format: 'uuid' });
const OrganisationParams = Type.Object({ id: Uuid });
const MemberParams = Type.Object({ id: Uuid, organiserId: Uuid });
const InvitationParams = Type.Object({ id: Uuid, invitationId: Uuid });
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const NameForm = Type.Object({ _csrf: Type.Optional(Type.String()), name: Type.Optional(Type.String({ maxLength: 1000 })) });
const RoleForm = Type.Object({ _csrf: Type.Optional(Type.String()), role: Type.Optional(Type.String({ maxLength: 20 })) });
const InviteForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  role: Type.Optional(Type.String({ maxLength: 20 })),
  expiresInDays: Type.Optional(Type.String({ maxLength: 10 })),
  email: Type.Optional(Type.String({ maxLength: 500 })),
});
const AcceptForm = Type.Object({ _csrf: Type.Optional(Type.String()), token: Type.Optional(Type.String({ maxLength: 200 })) });
const TokenQuery = Type.Object({ token: Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) });

/** The expiries the invitation form offers, in days. */
const invitationExpiryChoices = [1, 3, 7, 14, invitationLifetimeDays.max].map((days) => ({
  value: String(days),
  label: `${days} day${days === 1 ? '' : 's'}`,
}));

interface OrganisationPageState {
  readonly notice?: string;
  readonly newInvitation?: {
    readonly link: string;
    readonly role: string;
    readonly expires: string;
    readonly mailedTo?: string | undefined;
  };
  readonly errors?: Record<string, string>;
  readonly name?: string;
}

/**
 * An organisation's pages: members and their roles, invitations (made, shown once, withdrawn), its name, leaving,
 * the audit log with its CSV, and the page an invitation link opens. Every rule is in src/use-cases/organisations/.
 */
const organisationPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const signedIn = requireOrganiserPage(app);
  const changes = app.rateLimited('organisation-changes-per-organiser');

  async function show(request: FastifyRequest, reply: FastifyReply, organisationId: string, state: OrganisationPageState = {}) {
    const me = currentOrganiser(request).id;
    const { organisation, role, members } = valueOrHttpError(await readOrganisation(ctx.db, me, organisationId));
    const managesMembers = can(role, 'manage-members');
    const invitations = managesMembers ? valueOrHttpError(await listInvitations(ctx.db, me, organisationId)) : [];
    const owners = members.filter((m) => m.role === 'owner').length;
    return reply.view('organiser/organisation', {
      ...pageLocals(request, reply, { forms: true }),
      title: organisation.name,
      organisation: { id: organisation.id, name: organisation.name },
      role,
      can: {
        manageMembers: managesMembers,
        manageSettings: can(role, 'manage-settings'),
        readAuditLog: can(role, 'read-audit-log'),
        manageWebhooks: can(role, 'manage-webhooks'),
      },
      // The last owner is told why they cannot leave, instead of a button that refuses.
      canLeave: !(role === 'owner' && owners <= 1),
      roles: organisationRoles,
      members: members.map((m) => ({
        id: m.organiser_id,
        name: m.name,
        email: m.email,
        role: m.role,
        joined: when(m.joined_at),
        isMe: m.organiser_id === me,
      })),
      invitations: invitations.map((i) => ({ id: i.id, role: i.role, created: when(i.created_at), expires: when(i.expires_at) })),
      expiryChoices: invitationExpiryChoices,
      defaultExpiry: String(invitationLifetimeDays.default),
      values: { name: state.name ?? organisation.name },
      errors: state.errors ?? {},
      notice: state.notice,
      newInvitation: state.newInvitation,
      sendsMail: ctx.config.SMTP_URL !== undefined,
    });
  }

  /** The page again with a refusal's message beside its form (or as a problem page when the caller may not see it). */
  function showProblem(request: FastifyRequest, reply: FastifyReply, organisationId: string, problem: Problem, field: string) {
    if (problem.kind === 'not-found') throw new HttpError(404, problem.message);
    return show(request, reply.code(problemStatus[problem.kind]), organisationId, {
      errors: { [problem.field ?? field]: asSentence(problem.message) },
    });
  }

  function showNewOrganisation(request: FastifyRequest, reply: FastifyReply, name: string, errors: Record<string, string> = {}) {
    return reply.view('organiser/new-organisation', {
      ...pageLocals(request, reply, { forms: true }),
      title: 'Create an organisation',
      values: { name },
      errors,
    });
  }

  app.get('/organiser/organisations/new', { schema: { hide: true }, preHandler: signedIn }, (request, reply) =>
    showNewOrganisation(request, reply, ''),
  );

  app.post(
    '/organiser/organisations',
    { schema: { hide: true, body: NameForm }, preValidation: csrf, preHandler: [signedIn, changes] },
    async (request, reply) => {
      const name = request.body.name ?? '';
      const created = await createOrganisation(ctx.db, currentActor(request), name);
      if (created.kind !== 'done')
        return showNewOrganisation(request, reply.code(problemStatus[created.kind]), name, fieldMessagesOf(created));
      // Its campaign list, where the owner can start a campaign in it at once.
      return reply.redirect(`/organiser/campaigns?organisation=${created.value.id}`, 303);
    },
  );

  app.get('/organiser/organisations/:id', { schema: { hide: true, params: OrganisationParams }, preHandler: signedIn }, (request, reply) =>
    show(request, reply, request.params.id),
  );

  app.post(
    '/organiser/organisations/:id/name',
    { schema: { hide: true, params: OrganisationParams, body: NameForm }, preValidation: csrf, preHandler: [signedIn, changes] },
    async (request, reply) => {
      const name = request.body.name ?? '';
      const renamed = await renameOrganisation(ctx.db, currentActor(request), request.params.id, name);
      if (renamed.kind !== 'done') {
        if (renamed.kind === 'not-found') throw new HttpError(404, renamed.message);
        return show(request, reply.code(problemStatus[renamed.kind]), request.params.id, { errors: fieldMessagesOf(renamed), name });
      }
      return show(request, reply, request.params.id, { notice: `The organisation is now called ${renamed.value.name}.` });
    },
  );

  app.post(
    '/organiser/organisations/:id/members/:organiserId/role',
    { schema: { hide: true, params: MemberParams, body: RoleForm }, preValidation: csrf, preHandler: [signedIn, changes] },
    async (request, reply) => {
      const role = request.body.role ?? '';
      if (!isOrganisationRole(role))
        return show(request, reply.code(400), request.params.id, { errors: { members: 'Choose owner, editor or viewer.' } });
      const changed = await changeMemberRole(ctx.db, currentActor(request), request.params.id, request.params.organiserId, role);
      if (changed.kind !== 'done') return showProblem(request, reply, request.params.id, changed, 'members');
      return show(request, reply, request.params.id, { notice: `The member is now ${role === 'owner' ? 'an' : 'a'} ${role}.` });
    },
  );

  app.post(
    '/organiser/organisations/:id/members/:organiserId/remove',
    { schema: { hide: true, params: MemberParams, body: CsrfOnly }, preValidation: csrf, preHandler: [signedIn, changes] },
    async (request, reply) => {
      const leaving = request.params.organiserId === currentOrganiser(request).id;
      const removed = await removeMember(ctx.db, currentActor(request), request.params.id, request.params.organiserId);
      if (removed.kind !== 'done') return showProblem(request, reply, request.params.id, removed, 'members');
      if (leaving) return reply.redirect('/organiser/campaigns', 303);
      return show(request, reply, request.params.id, { notice: 'The member is removed: they no longer see this organisation.' });
    },
  );

  app.post(
    '/organiser/organisations/:id/invitations',
    {
      schema: { hide: true, params: OrganisationParams, body: InviteForm },
      preValidation: csrf,
      preHandler: [signedIn, app.rateLimited('invitations-per-organiser')],
    },
    async (request, reply) => {
      const role = request.body.role ?? '';
      const days = (request.body.expiresInDays ?? '').trim();
      if (!isOrganisationRole(role))
        return show(request, reply.code(400), request.params.id, { errors: { invitation: 'Choose owner, editor or viewer.' } });
      const created = await inviteMember(ctx, currentActor(request), request.params.id, {
        role,
        expiresInDays: /^\d{1,3}$/.test(days) ? Number(days) : Number.NaN,
        email: request.body.email,
      });
      if (created.kind !== 'done') return showProblem(request, reply, request.params.id, created, 'invitation');
      return show(request, reply, request.params.id, {
        newInvitation: {
          link: created.value.link,
          role,
          expires: when(created.value.invitation.expires_at),
          mailedTo: created.value.mailed ? request.body.email?.trim() : undefined,
        },
      });
    },
  );

  app.post(
    '/organiser/organisations/:id/invitations/:invitationId/withdraw',
    { schema: { hide: true, params: InvitationParams, body: CsrfOnly }, preValidation: csrf, preHandler: [signedIn, changes] },
    async (request, reply) => {
      const withdrawn = await withdrawInvitation(ctx.db, currentActor(request), request.params.id, request.params.invitationId);
      if (withdrawn.kind !== 'done') return showProblem(request, reply, request.params.id, withdrawn, 'invitations');
      return show(request, reply, request.params.id, { notice: 'The invitation is withdrawn: its link no longer works.' });
    },
  );

  app.get(
    '/organiser/organisations/:id/audit',
    {
      schema: { hide: true, params: OrganisationParams, querystring: AuditFilterPageQuery },
      preHandler: [signedIn, app.rateLimited('audit-log-per-organiser')],
    },
    async (request, reply) => {
      const me = currentOrganiser(request).id;
      const filter = request.query;
      const { organisation } = valueOrHttpError(await readOrganisation(ctx.db, me, request.params.id));
      const read = await readAuditLog(
        ctx.db,
        me,
        request.params.id,
        { before: request.query.before, limit: auditPageLimits.default },
        filter,
      );
      // A filter refused is shown beside its field, with no entries; any other problem (a viewer: 403) is the error page.
      const page = read.kind === 'invalid' ? { entries: [], nextBefore: null } : valueOrHttpError(read);
      return reply.code(read.kind === 'invalid' ? 400 : 200).view('organiser/audit-log', {
        ...pageLocals(request, reply),
        title: `Audit log: ${organisation.name}`,
        organisation: { id: organisation.id, name: organisation.name },
        retentionDays: ctx.config.AUDIT_LOG_RETENTION_DAYS,
        entries: page.entries.map((entry) => auditEntryRow(entry, 'organiser-page')),
        filter: auditFilterForm(filter),
        errors: read.kind === 'invalid' ? fieldMessagesOf(read) : {},
        ...auditPageLinks(`/organiser/organisations/${organisation.id}/audit`, filter, read.kind === 'invalid' ? 'refused' : page),
      });
    },
  );

  app.get(
    '/organiser/organisations/:id/audit.csv',
    {
      schema: { hide: true, params: OrganisationParams, querystring: AuditFilterPageQuery },
      preHandler: [signedIn, app.rateLimited('audit-log-per-organiser')],
    },
    async (request, reply) => {
      const lines = valueOrHttpError(await auditLogCsv(ctx.db, currentOrganiser(request).id, request.params.id, request.query));
      return sendCsvDownload(reply, `audit-log-${request.params.id}.csv`, lines);
    },
  );

  app.get(
    '/organiser/invitation',
    // The token rides in the query, which the request log leaves out, and is posted back in the Join form's body.
    { schema: { hide: true, querystring: TokenQuery }, preHandler: app.rateLimited('invitation-use-per-client') },
    async (request, reply) => {
      const offer = await findInvitation(ctx.db, request.query.token);
      // A link that is used, withdrawn, expired or never was all read the same.
      if (offer.kind !== 'done') throw new HttpError(404, 'this invitation is no longer valid: ask for a new link');
      // Signed out, the page says to sign in (or sign up) and open the link again; it is not a redirect that loses it.
      reply.header('cache-control', 'no-store');
      return reply.header('referrer-policy', 'no-referrer').view('organiser/invitation', {
        ...pageLocals(request, reply, { forms: true }),
        signedInAs: isSignedIn(request) ? currentOrganiser(request).name : null,
        title: `Join ${offer.value.organisationName}`,
        invitation: {
          token: request.query.token,
          organisationName: offer.value.organisationName,
          role: offer.value.role,
          expires: when(offer.value.expiresAt),
        },
        errors: {},
      });
    },
  );

  app.post(
    '/organiser/invitations/accept',
    { schema: { hide: true, body: AcceptForm }, preValidation: csrf, preHandler: [signedIn, app.rateLimited('invitation-use-per-client')] },
    async (request, reply) => {
      const joined = await acceptInvitation(ctx.db, currentActor(request), request.body.token ?? '');
      if (joined.kind !== 'done') throw new HttpError(problemStatus[joined.kind], asSentence(joined.message));
      return reply.redirect(`/organiser/campaigns?organisation=${joined.value.organisation_id}`, 303);
    },
  );
};

function when(at: Date): string {
  return formatLaunchTime(at, 'UTC');
}

export default organisationPages;
