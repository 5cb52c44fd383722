import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { hashPassword, verifyPassword } from '../../../security/password.ts';
import { findOrganiserByEmail, insertOrganiser } from '../../../storage/organiser.repository.ts';
import type { Db } from '../../../storage/database.ts';
import { currentOrganiser, signInSession, signOutSession } from '../../../plugins/app/organiser-auth.ts';
import { HttpError, conflict } from '../../http-error.ts';

const OrganiserView = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() });
const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: 10, maxLength: 200, description: 'at least 10 characters' });

/** Sign up, sign in and out, and who am I. */
const organiserRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const unknownEmailHash = hashPassword(randomBytes(16).toString('hex'));

  app.post(
    '/organisers',
    {
      schema: {
        tags: ['organisers'],
        summary: 'Sign up as an organiser (and sign in)',
        body: Type.Object(
          { email: Email, name: Type.String({ minLength: 1, maxLength: 120 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 201: OrganiserView },
      },
    },
    async (request, reply) => {
      const { email, name, password } = request.body;
      const organiser = await insertOrganiser(db, { email, name, passwordHash: await hashPassword(password) });
      if (organiser === 'email-taken') throw conflict('an organiser with this email already exists; sign in instead');
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
        body: Type.Object({ email: Email, password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: OrganiserView },
      },
    },
    async (request) => {
      const organiser = await findOrganiserByEmail(db, request.body.email);
      // The same answer, after the same work, for an unknown email and a wrong password: no account probing.
      const matches = await verifyPassword(organiser?.password_hash ?? (await unknownEmailHash), request.body.password);
      if (organiser === undefined || !matches) {
        throw new HttpError(401, 'email or password is wrong');
      }
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
