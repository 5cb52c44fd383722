import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { organiserAccountLimits as limits } from '../../../domain/organiser-account.ts';
import type { Db } from '../../../storage/database.ts';
import { currentOrganiser, signInSession, signOutSession } from '../../../plugins/app/organiser-auth.ts';
import { signInOrganiser } from '../../../use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../../use-cases/organisers/sign-up-organiser.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const OrganiserView = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() });
const Email = Type.String({ format: 'email', maxLength: limits.emailMaxLength });
const Password = Type.String({
  minLength: limits.passwordMinLength,
  maxLength: limits.passwordMaxLength,
  description: `at least ${limits.passwordMinLength} characters`,
});

/** Sign up, sign in and out, and who am I. */
const organiserRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/organisers',
    {
      preHandler: app.rateLimited('sign-up-per-client'),
      schema: {
        tags: ['organisers'],
        summary: 'Sign up as an organiser (and sign in)',
        body: Type.Object(
          { email: Email, name: Type.String({ minLength: 1, maxLength: limits.nameMaxLength }), password: Password },
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
      preHandler: app.rateLimited('sign-in-per-client', 'sign-in-per-account'),
      schema: {
        tags: ['organisers'],
        summary: 'Sign in',
        body: Type.Object({ email: Email, password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: OrganiserView },
      },
    },
    async (request) => {
      const organiser = valueOrHttpError(await signInOrganiser(db, request.body));
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
