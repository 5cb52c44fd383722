import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { actionsOf, organisationActions, organisationRoles } from '../../../domain/organisation-role.ts';
import { organisationStandings } from '../../../domain/organisation-standing.ts';
import { currentActor, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import type { InvitationView as StoredInvitation } from '../../../storage/organisation.repository.ts';
import { auditPageLimits } from '../../../use-cases/audit-log/audit-page.ts';
import { acceptInvitation } from '../../../use-cases/organisations/accept-invitation.ts';
import { auditLogCsv } from '../../../use-cases/organisations/audit-log-csv.ts';
import { changeMemberRole } from '../../../use-cases/organisations/change-member-role.ts';
import { createOrganisation } from '../../../use-cases/organisations/create-organisation.ts';
import { INVITATION_TOKEN_PREFIX, invitationLifetimeDays } from '../../../use-cases/organisations/invitation-token.ts';
import { inviteMember } from '../../../use-cases/organisations/invite-member.ts';
import { listInvitations } from '../../../use-cases/organisations/list-invitations.ts';
import { listOrganisations } from '../../../use-cases/organisations/list-organisations.ts';
import { readAuditLog } from '../../../use-cases/organisations/read-audit-log.ts';
import { readOrganisation } from '../../../use-cases/organisations/read-organisation.ts';
import { removeMember } from '../../../use-cases/organisations/remove-member.ts';
import { MAX_ORGANISATION_NAME } from '../../../use-cases/organisations/organisation-name.ts';
import { renameOrganisation } from '../../../use-cases/organisations/rename-organisation.ts';
import { withdrawInvitation } from '../../../use-cases/organisations/withdraw-invitation.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { sendCsvDownload } from '../../csv-download.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { AuditCsvQuery, AuditPageQuery, AuditPageView, auditPageView } from './audit-entry.schemas.ts';

const Role = Type.Enum(organisationRoles, {
  description: 'owner: members and settings, and campaigns; editor: campaigns; viewer: dashboards and results',
});
const Uuid = Type.String({ format: 'uuid' });
const OrganisationParams = Type.Object({ id: Uuid });
const MemberParams = Type.Object({ id: Uuid, organiserId: Uuid });
const InvitationParams = Type.Object({ id: Uuid, invitationId: Uuid });
const DateTime = Type.String({ format: 'date-time' });

const MembershipView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Role,
  joinedAt: DateTime,
  standing: Type.Enum(organisationStandings, {
    description: "suspended: by this Chorus's operators; every request acting on it answers 403 (reason organisation-suspended)",
  }),
});
const MemberView = Type.Object({ organiserId: Type.String(), name: Type.String(), email: Type.String(), role: Role, joinedAt: DateTime });
const OrganisationView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: DateTime,
  role: Role,
  members: Type.Array(MemberView),
});
const InvitationView = Type.Object({
  id: Type.String(),
  role: Role,
  invitedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  expiresAt: DateTime,
});
/** Organisations, their members, invitations, roles and audit log; every rule is in the use cases (src/use-cases/organisations/). */
const organisationRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  app.addHook('preHandler', app.requireOrganiser);
  // After the file's requireOrganiser hook: route hooks run after the plugin's.
  const reads = app.rateLimited('organisation-reads-per-organiser');
  const changes = app.rateLimited('organisation-changes-per-organiser');

  app.get(
    '/roles',
    {
      preHandler: reads,
      schema: {
        tags: ['organisations'],
        summary: 'The roles a member may have, and what each may do',
        response: {
          200: Type.Array(Type.Object({ role: Role, actions: Type.Array(Type.Enum(organisationActions)) })),
        },
      },
    },
    () => organisationRoles.map((role) => ({ role, actions: actionsOf(role) })),
  );

  app.get(
    '/organisations',
    {
      preHandler: reads,
      schema: {
        tags: ['organisations'],
        summary: 'Your organisations, with your role in each (the one you joined first, your own, first)',
        response: { 200: Type.Array(MembershipView) },
      },
    },
    async (request) =>
      (await listOrganisations(db, currentOrganiser(request).id)).map((m) => ({
        id: m.organisation_id,
        name: m.name,
        role: m.role,
        joinedAt: m.joined_at.toISOString(),
        standing: m.standing,
      })),
  );

  app.post(
    '/organisations',
    {
      preHandler: changes,
      schema: {
        tags: ['organisations'],
        summary: 'Create an organisation, with you as its owner (for instance after leaving your own)',
        body: Type.Object({ name: StorableText({ minLength: 1, maxLength: MAX_ORGANISATION_NAME }) }, { additionalProperties: false }),
        response: { 201: MembershipView },
      },
    },
    async (request, reply) => {
      const created = valueOrHttpError(await createOrganisation(db, currentActor(request), request.body.name));
      // The owner joined in the statement that made it: the same instant.
      return reply
        .code(201)
        .send({ id: created.id, name: created.name, role: 'owner', standing: 'active', joinedAt: created.created_at.toISOString() });
    },
  );

  app.get(
    '/organisations/:id',
    {
      preHandler: reads,
      schema: {
        tags: ['organisations'],
        summary: 'One of your organisations, with its members (404 for an organisation you are not in)',
        params: OrganisationParams,
        response: { 200: OrganisationView },
      },
    },
    async (request) => {
      const { organisation, role, members } = valueOrHttpError(await readOrganisation(db, currentOrganiser(request).id, request.params.id));
      return {
        id: organisation.id,
        name: organisation.name,
        createdAt: organisation.created_at.toISOString(),
        role,
        members: members.map((m) => ({
          organiserId: m.organiser_id,
          name: m.name,
          email: m.email,
          role: m.role,
          joinedAt: m.joined_at.toISOString(),
        })),
      };
    },
  );

  app.patch(
    '/organisations/:id',
    {
      preHandler: changes,
      schema: {
        tags: ['organisations'],
        summary: 'Rename an organisation (owners)',
        params: OrganisationParams,
        body: Type.Object({ name: StorableText({ minLength: 1, maxLength: MAX_ORGANISATION_NAME }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), name: Type.String() }) },
      },
    },
    async (request) => {
      const renamed = valueOrHttpError(await renameOrganisation(db, currentActor(request), request.params.id, request.body.name));
      return { id: renamed.id, name: renamed.name };
    },
  );

  app.patch(
    '/organisations/:id/members/:organiserId',
    {
      preHandler: changes,
      schema: {
        tags: ['organisations'],
        summary: "Change a member's role (owners); the last owner cannot be demoted (409)",
        params: MemberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: Type.Object({ organiserId: Type.String(), role: Role }) },
      },
    },
    async (request) =>
      valueOrHttpError(await changeMemberRole(db, currentActor(request), request.params.id, request.params.organiserId, request.body.role)),
  );

  app.delete(
    '/organisations/:id/members/:organiserId',
    {
      preHandler: changes,
      schema: {
        tags: ['organisations'],
        summary: 'Remove a member (owners), or leave (your own id); the last owner cannot leave (409)',
        params: MemberParams,
      },
    },
    async (request, reply) => {
      valueOrHttpError(await removeMember(db, currentActor(request), request.params.id, request.params.organiserId));
      return reply.code(204).send();
    },
  );

  app.get(
    '/organisations/:id/invitations',
    {
      preHandler: reads,
      schema: {
        tags: ['organisations'],
        summary: 'Invitations not yet used nor expired (owners)',
        params: OrganisationParams,
        response: { 200: Type.Array(InvitationView) },
      },
    },
    async (request) => valueOrHttpError(await listInvitations(db, currentOrganiser(request).id, request.params.id)).map(invitationView),
  );

  app.post(
    '/organisations/:id/invitations',
    {
      config: { answerCarriesSecret: true },
      preHandler: app.rateLimited('invitations-per-organiser'),
      schema: {
        tags: ['organisations'],
        summary: 'Invite someone (owners): a single-use link, shown only in this answer, that expires',
        params: OrganisationParams,
        body: Type.Object(
          {
            role: Role,
            expiresInDays: Type.Optional(
              Type.Integer({
                minimum: invitationLifetimeDays.min,
                maximum: invitationLifetimeDays.max,
                description: `the link stops working this many days from now (default ${invitationLifetimeDays.default})`,
              }),
            ),
            email: Type.Optional(
              StorableText({
                maxLength: 254,
                description: 'also mail the link to this address, where this Chorus sends mail (the invitation stays untied to it)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...InvitationView.properties,
            link: Type.String({
              description: 'open it signed in to join; the token in it is accepted at POST /api/v1/invitations/acceptance too',
            }),
            mailed: Type.Boolean({ description: 'whether the link was also mailed to the address given' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const { invitation, link, mailed } = valueOrHttpError(
        await inviteMember(ctx, currentActor(request), request.params.id, request.body),
      );
      return reply.code(201).send({ ...invitationView(invitation), link, mailed });
    },
  );

  app.delete(
    '/organisations/:id/invitations/:invitationId',
    {
      preHandler: changes,
      schema: { tags: ['organisations'], summary: 'Withdraw an invitation (owners): its link stops working', params: InvitationParams },
    },
    async (request, reply) => {
      valueOrHttpError(await withdrawInvitation(db, currentActor(request), request.params.id, request.params.invitationId));
      return reply.code(204).send();
    },
  );

  app.post(
    '/invitations/acceptance',
    {
      preHandler: app.rateLimited('invitation-use-per-client'),
      schema: {
        tags: ['organisations'],
        summary: 'Join an organisation with an invitation’s token (the end of its link); it works once',
        body: Type.Object(
          { token: Type.String({ pattern: `^${INVITATION_TOKEN_PREFIX}_[A-Za-z0-9_-]{43}$` }) },
          { additionalProperties: false },
        ),
        response: { 201: MembershipView },
      },
    },
    async (request, reply) => {
      const joined = valueOrHttpError(await acceptInvitation(db, currentActor(request), request.body.token));
      return reply.code(201).send({
        id: joined.organisation_id,
        name: joined.name,
        role: joined.role,
        joinedAt: joined.joined_at.toISOString(),
        standing: joined.standing,
      });
    },
  );

  app.get(
    '/organisations/:id/audit-log',
    {
      preHandler: app.rateLimited('audit-log-per-organiser'),
      schema: {
        tags: ['organisations'],
        summary: "The organisation's part of the audit log, newest first, a page at a time, filtered by action, actor and days (owners)",
        params: OrganisationParams,
        querystring: AuditPageQuery,
        response: {
          200: AuditPageView,
        },
      },
    },
    async (request) => {
      const page = valueOrHttpError(
        await readAuditLog(
          db,
          currentOrganiser(request).id,
          request.params.id,
          {
            before: request.query.before,
            limit: request.query.limit ?? auditPageLimits.default,
          },
          request.query,
        ),
      );
      return auditPageView(page);
    },
  );

  app.get(
    '/organisations/:id/audit-log.csv',
    {
      preHandler: app.rateLimited('audit-log-per-organiser'),
      schema: {
        tags: ['organisations'],
        summary: "The organisation's audit log as CSV, every entry or those the filters keep (owners)",
        params: OrganisationParams,
        querystring: AuditCsvQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const lines = valueOrHttpError(await auditLogCsv(db, currentOrganiser(request).id, request.params.id, request.query));
      return sendCsvDownload(reply, `audit-log-${request.params.id}.csv`, lines);
    },
  );
};

function invitationView(invitation: StoredInvitation) {
  return {
    id: invitation.id,
    role: invitation.role,
    invitedBy: invitation.invited_by,
    createdAt: invitation.created_at.toISOString(),
    expiresAt: invitation.expires_at.toISOString(),
  };
}

export default organisationRoutes;
