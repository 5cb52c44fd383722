import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { signInSession, signOutSession } from '../../plugins/app/organiser-auth.ts';
import { hashPassword, verifyPassword } from '../../security/password.ts';
import type { Db } from '../../storage/database.ts';
import { findOrganiserByEmail, insertOrganiser } from '../../storage/organiser.repository.ts';
import { pageLocals } from './page-locals.ts';

const AccountForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  email: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
});
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

  app.post('/organiser/sign-up', { schema: { hide: true, body: AccountForm }, preValidation: csrf }, async (request, reply) => {
    const name = (request.body.name ?? '').trim();
    const email = (request.body.email ?? '').trim();
    const password = request.body.password ?? '';
    const errors: Record<string, string> = {};
    if (name === '' || name.length > 120) errors.name = "Give your organisation's name (up to 120 characters); supporters see it.";
    if (!emailPattern.test(email) || email.length > 254) errors.email = 'Give an email address, like name@example.org.';
    if (password.length < 10 || password.length > 200) errors.password = 'Choose a password of at least 10 characters.';
    if (Object.keys(errors).length > 0) return show(request, reply.code(400), 'sign-up', { name, email }, errors);
    const organiser = await insertOrganiser(db, { email, name, passwordHash: await hashPassword(password) });
    if (organiser === 'email-taken')
      return show(
        request,
        reply.code(409),
        'sign-up',
        { name, email },
        { email: 'An account with this email already exists: sign in instead.' },
      );
    signInSession(request, organiser.id);
    return reply.redirect('/organiser/campaigns', 303);
  });

  app.post('/organiser/sign-in', { schema: { hide: true, body: AccountForm }, preValidation: csrf }, async (request, reply) => {
    const email = (request.body.email ?? '').trim();
    const organiser = emailPattern.test(email) ? await findOrganiserByEmail(db, email) : undefined;
    // The same answer for an unknown email and a wrong password: no account probing.
    if (organiser === undefined || !(await verifyPassword(organiser.password_hash, request.body.password ?? ''))) {
      return show(request, reply.code(401), 'sign-in', { email }, { form: 'The email or the password is wrong.' });
    }
    signInSession(request, organiser.id);
    return reply.redirect('/organiser/campaigns', 303);
  });

  app.post('/organiser/sign-out', { schema: { hide: true, body: AccountForm }, preValidation: csrf }, async (request, reply) => {
    signOutSession(request);
    return reply.redirect('/', 303);
  });
};

export default organiserAccountPages;
