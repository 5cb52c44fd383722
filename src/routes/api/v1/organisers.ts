import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { organiserAccountLimits as limits } from '../../../domain/organiser-account.ts';
import { passwordLimits } from '../../../domain/password-rules.ts';
import { currentOrganiser, signInSession, signOutSession } from '../../../plugins/app/organiser-auth.ts';
import {
  clearPendingSignIn,
  holdPendingSignIn,
  PENDING_SIGN_IN_LIFETIME_MS,
  pendingSignInOrganiser,
} from '../../../plugins/app/pending-sign-in.ts';
import { finishTwoFactorSignIn } from '../../../use-cases/organisers/finish-two-factor-sign-in.ts';
import { signInOrganiser } from '../../../use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../../use-cases/organisers/sign-up-organiser.ts';
import { HttpError } from '../../http-error.ts';
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
const SecondFactorNeeded = Type.Object({
  secondFactor: Type.Literal('totp'),
  message: Type.String(),
});
const CodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64, description: 'the six digits the app shows, or an unused recovery code' }) },
  { additionalProperties: false },
);

/** Sign up, sign in (with the code step when two-factor sign-in is on) and out, and who am I. */
const organiserRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  app.post(
    '/organisers',
    {
      schema: {
        tags: ['organisers'],
        summary: 'Sign up as an organiser (and sign in)',
        body: Type.Object(
          { email: Email, name: Type.String({ minLength: 1, maxLength: limits.nameMaxLength }), password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 201: OrganiserView },
      },
    },
    async (request, reply) => {
      const organiser = valueOrHttpError(await signUpOrganiser(db, request.body));
      signInSession(request, organiser.id);
      return reply.code(201).send(organiser);
    },
  );

  app.post(
    '/session',
    {
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
      const signedIn = valueOrHttpError(await signInOrganiser(db, request.body));
      switch (signedIn.step) {
        case 'signed-in':
          clearPendingSignIn(request);
          signInSession(request, signedIn.organiser.id);
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
      signInSession(request, organiser.id);
      return organiser;
    },
  );

  app.delete('/session', { schema: { tags: ['organisers'], summary: 'Sign out' } }, async (request, reply) => {
    signOutSession(request);
    return reply.code(204).send();
  });

  app.get(
    '/me',
    {
      preHandler: app.requireOrganiser,
      schema: { tags: ['organisers'], summary: 'The signed-in organiser', response: { 200: OrganiserView } },
    },
    async (request) => currentOrganiser(request),
  );
};

export default organiserRoutes;
