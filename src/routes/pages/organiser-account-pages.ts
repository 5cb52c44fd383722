import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { signInSession, signOutSession } from '../../plugins/app/organiser-auth.ts';
import type { Db } from '../../storage/database.ts';
import { signInOrganiser } from '../../use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../use-cases/organisers/sign-up-organiser.ts';
import { fieldMessagesOf, problemStatus } from '../problem-status.ts';
import { pageLocals } from './page-locals.ts';

const AccountForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  email: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
});

/** Organisers sign up, sign in and sign out through these pages (sessions as in the API). */
const organiserAccountPages: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const csrf = app.csrfProtection.bind(app);
  function show(
    request: FastifyRequest,
    reply: FastifyReply,
    page: 'sign-up' | 'sign-in',
    values: { name?: string; email?: string },
    errors: Record<string, string> = {},
  ) {
    return reply.view(`organiser/${page}`, {
      ...pageLocals(request, reply, { forms: true }),
      title: page === 'sign-up' ? 'Create an organiser account' : 'Sign in',
      values: { name: values.name ?? '', email: values.email ?? '' },
      errors,
    });
  }

  app.get('/organiser/sign-up', { schema: { hide: true } }, (request, reply) => show(request, reply, 'sign-up', {}));
  app.get('/organiser/sign-in', { schema: { hide: true } }, (request, reply) => show(request, reply, 'sign-in', {}));

  // The rate limits count after the CSRF check (docs/security/rate-limits.md).
  const signUpForm = { schema: { hide: true, body: AccountForm }, preValidation: csrf, preHandler: app.rateLimited('sign-up-per-client') };
  const signInForm = { ...signUpForm, preHandler: app.rateLimited('sign-in-per-client', 'sign-in-per-account') };
  app.post('/organiser/sign-up', signUpForm, async (request, reply) => {
    const name = request.body.name ?? '';
    const email = request.body.email ?? '';
    const password = request.body.password ?? '';
    const outcome = await signUpOrganiser(db, { name, email, password });
    switch (outcome.kind) {
      case 'done':
        signInSession(request, outcome.value.id);
        return reply.redirect('/organiser/campaigns', 303);
      case 'conflict':
        return show(
          request,
          reply.code(409),
          'sign-up',
          { name, email },
          { email: 'An account with this email already exists: sign in instead.' },
        );
      case 'invalid':
      case 'unauthenticated':
      case 'forbidden':
      case 'not-found':
      case 'unpostable':
        return show(request, reply.code(problemStatus[outcome.kind]), 'sign-up', { name, email }, fieldMessagesOf(outcome));
    }
  });

  app.post('/organiser/sign-in', signInForm, async (request, reply) => {
    const email = request.body.email ?? '';
    const outcome = await signInOrganiser(db, { email, password: request.body.password ?? '' });
    // The same answer for an unknown email and a wrong password: no account probing.
    if (outcome.kind !== 'done')
      return show(request, reply.code(401), 'sign-in', { email }, { form: 'The email or the password is wrong.' });
    signInSession(request, outcome.value.id);
    return reply.redirect('/organiser/campaigns', 303);
  });

  app.post('/organiser/sign-out', { schema: { hide: true, body: AccountForm }, preValidation: csrf }, async (request, reply) => {
    signOutSession(request);
    return reply.redirect('/', 303);
  });
};

export default organiserAccountPages;
