import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { organiserAccountLimits as limits } from '../../../domain/organiser-account.ts';
import { passwordLimits } from '../../../domain/password-rules.ts';
import { currentCaller, currentOrganiser, signInSession, signOutSession } from '../../../plugins/app/organiser-auth.ts';
import {
  clearPendingSignIn,
  holdPendingSignIn,
  PENDING_SIGN_IN_LIFETIME_MS,
  pendingSignInOrganiser,
} from '../../../plugins/app/pending-sign-in.ts';
import { changeOrganiserPassword } from '../../../use-cases/organisers/change-organiser-password.ts';
import { deleteOrganiserAccount } from '../../../use-cases/organisers/delete-organiser-account.ts';
import { finishTwoFactorSignIn } from '../../../use-cases/organisers/finish-two-factor-sign-in.ts';
import { listSessionsOf } from '../../../use-cases/organisers/list-organiser-sessions.ts';
import { sessionLifetimesOf } from '../../../use-cases/organisers/session-lifetimes.ts';
import { signInOrganiser } from '../../../use-cases/organisers/sign-in-organiser.ts';
import { signOutEverywhere } from '../../../use-cases/organisers/sign-out-everywhere.ts';
import { signUpOrganiser } from '../../../use-cases/organisers/sign-up-organiser.ts';
import { HttpError } from '../../http-error.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const OrganiserView = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() });
const Email = Type.String({ format: 'email', maxLength: limits.emailMaxLength });
// The length and list rules are the sign-up use case's (one place for the API and the pages, with
// a message that names the field); the schema only bounds what is read.
const NewPassword = Type.String({
  maxLength: passwordLimits.maxLength,
  description:
    `at least ${passwordLimits.minLengthAlone} characters (each Unicode character counts one), at most ${passwordLimits.maxLength}; ` +
    'no rules on which characters, but not one on the list of common and breached passwords',
});
const SessionView = Type.Object({
  id: Type.String(),
  device: Type.String({ description: 'the browser, as "Firefox on Linux"' }),
  ipPrefix: Type.Union([Type.String(), Type.Null()], { description: 'the network it signed in from (a /24 or /48)' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time', description: 'to the minute' }),
  endsAt: Type.String({ format: 'date-time', description: 'when it ends unless used again (idle), or for good (absolute)' }),
  current: Type.Boolean({ description: 'whether it is the session asking' }),
});

const SecondFactorNeeded = Type.Object({
  secondFactor: Type.Literal('totp'),
  message: Type.String(),
});
const CodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64, description: 'the six digits the app shows, or an unused recovery code' }) },
  { additionalProperties: false },
);

/** Sign up, sign in (with the code step when two-factor sign-in is on) and out (here or everywhere), the signed-in sessions, the password, and who am I. */
const organiserRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  const lifetimes = sessionLifetimesOf(ctx.config);
  // Every answer here either starts or ends a session (its cookie) or describes the account.
  const secret = { answerCarriesSecret: true } as const;

  app.post(
    '/organisers',
    {
      config: secret,
      preHandler: app.rateLimited('sign-up-per-client'),
      schema: {
        tags: ['organisers'],
        summary: 'Sign up as an organiser (and sign in)',
        description:
          "Who may sign up is the instance's sign-up mode: open; open with approval (answers 202 and no session: an operator " +
          'approves the account before it can sign in); or invitation only (give the token of an invitation link as `invitation`; ' +
          'without a usable one, 403 naming `invitation`).',
        body: Type.Object(
          {
            email: Email,
            name: StorableText({ minLength: 1, maxLength: limits.nameMaxLength }),
            password: NewPassword,
            invitation: Type.Optional(
              Type.String({ pattern: '^chorus_inv_[A-Za-z0-9_-]{1,100}$', description: 'the token of an invitation link (?invitation=…)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrganiserView, 202: Type.Object({ ...OrganiserView.properties, message: Type.String() }) },
      },
    },
    async (request, reply) => {
      const organiser = valueOrHttpError(await signUpOrganiser(ctx, request.body, ctx.config, request.ip));
      switch (organiser.standing) {
        case 'active':
          await signInSession(request, organiser.id);
          return reply.code(201).send(organiser);
        case 'awaiting_approval':
        case 'suspended':
          return reply.code(202).send({
            id: organiser.id,
            email: organiser.email,
            name: organiser.name,
            message: 'your account waits for an operator of this Chorus to approve it; you can sign in once they have',
          });
      }
    },
  );

  app.post(
    '/session',
    {
      config: secret,
      preHandler: app.rateLimited('sign-in-per-client', 'sign-in-per-account'),
      schema: {
        tags: ['organisers'],
        summary: 'Sign in',
        description:
          'With two-factor sign-in on, a right password answers 202: send a code to POST /api/v1/session/second-factor, ' +
          `with the same cookie, within ${PENDING_SIGN_IN_LIFETIME_MS / 60_000} minutes.`,
        body: Type.Object(
          { email: Email, password: Type.String({ maxLength: passwordLimits.maxLength }) },
          { additionalProperties: false },
        ),
        response: { 200: OrganiserView, 202: SecondFactorNeeded },
      },
    },
    async (request, reply) => {
      const signedIn = valueOrHttpError(await signInOrganiser(ctx, request.body));
      switch (signedIn.step) {
        case 'signed-in':
          clearPendingSignIn(request);
          await signInSession(request, signedIn.organiser.id);
          return reply.code(200).send(signedIn.organiser);
        case 'second-factor':
          holdPendingSignIn(request, signedIn.organiserId);
          return reply.code(202).send({
            secondFactor: 'totp',
            message: `two-factor sign-in is on: send the code your app shows (or a recovery code) to POST /api/v1/session/second-factor within ${PENDING_SIGN_IN_LIFETIME_MS / 60_000} minutes`,
          });
      }
    },
  );

  // Its own route, so that rate limits can count code attempts apart from password attempts.
  app.post(
    '/session/second-factor',
    {
      config: secret,
      preHandler: app.rateLimited('totp-code-per-client'),
      schema: {
        tags: ['organisers'],
        summary: 'Sign in: the code step, after POST /api/v1/session answered 202',
        body: CodeBody,
        response: { 200: OrganiserView },
      },
    },
    async (request) => {
      const organiserId = pendingSignInOrganiser(request);
      if (organiserId === undefined)
        throw new HttpError(401, 'no sign-in is waiting for a code (or it took too long): sign in again', 'code');
      const organiser = valueOrHttpError(await finishTwoFactorSignIn(ctx, organiserId, request.body.code));
      clearPendingSignIn(request);
      await signInSession(request, organiser.id);
      return organiser;
    },
  );

  app.delete(
    '/session',
    { config: secret, schema: { tags: ['organisers'], summary: 'Sign out (ends this session wherever its cookie was copied)' } },
    async (request, reply) => {
      await signOutSession(request);
      return reply.code(204).send();
    },
  );

  app.get(
    '/sessions',
    {
      config: secret,
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['organisers'],
        summary: 'Your signed-in sessions, the most recently used first',
        response: { 200: Type.Array(SessionView) },
      },
    },
    async (request) =>
      (await listSessionsOf(db, lifetimes, currentCaller(request))).map((session) => ({
        ...session,
        createdAt: session.createdAt.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
      })),
  );

  app.delete(
    '/sessions',
    {
      config: secret,
      preHandler: app.requireOrganiser,
      schema: { tags: ['organisers'], summary: 'Sign out everywhere: end every signed-in session, this one too (API tokens stay)' },
    },
    async (request, reply) => {
      valueOrHttpError(await signOutEverywhere(db, currentCaller(request)));
      // A browser's cookie goes too; a script's token stays (API tokens are revoked one by one).
      if (request.organiserCredential?.kind === 'session') await signOutSession(request);
      return reply.code(204).send();
    },
  );

  app.put(
    '/me/password',
    {
      config: secret,
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['organisers'],
        summary: 'Change your password (signed in, not with an API token); every other session ends',
        body: Type.Object(
          { currentPassword: Type.String({ maxLength: passwordLimits.maxLength }), newPassword: NewPassword },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ endedSessions: Type.Integer({ description: 'how many other sessions were ended' }) }) },
      },
    },
    async (request) => valueOrHttpError(await changeOrganiserPassword(ctx, currentCaller(request), request.body)),
  );

  app.get(
    '/me',
    {
      config: secret,
      preHandler: app.requireOrganiser,
      schema: { tags: ['organisers'], summary: 'The signed-in organiser', response: { 200: OrganiserView } },
    },
    async (request) => currentOrganiser(request),
  );

  app.delete(
    '/me',
    {
      config: secret,
      preHandler: [app.requireOrganiser, app.rateLimited('account-deletion-per-organiser')],
      schema: {
        tags: ['organisers'],
        summary: 'Delete your account (signed in, not with an API token; takes the password, and a code with two-factor sign-in on)',
        description:
          'Refused (409, naming them) while you are the last owner of an organisation that has other members. An organisation ' +
          'you are the only member of is deleted with the account, with its campaigns: those not launched yet are cancelled ' +
          'first (supporters\' access erased). The session ends. See docs/organisations.md, "Deleting an account".',
        body: Type.Object(
          {
            password: Type.String({ maxLength: passwordLimits.maxLength }),
            code: Type.Optional(
              Type.String({ maxLength: 64, description: 'with two-factor sign-in on: the code your app shows, or a recovery code' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            organisationsDeleted: Type.Array(Type.String({ format: 'uuid' }), { description: 'organisations deleted with the account' }),
            organisationsLeft: Type.Array(Type.String({ format: 'uuid' }), { description: 'organisations that stay, without you' }),
          }),
        },
      },
    },
    async (request) => {
      const deleted = valueOrHttpError(await deleteOrganiserAccount(ctx, currentCaller(request), request.ip, request.body));
      await signOutSession(request);
      return deleted;
    },
  );
};

export default organiserRoutes;
