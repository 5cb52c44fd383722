import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { passwordLimits } from '../../domain/password-rules.ts';
import { signInSession, signOutSession } from '../../plugins/app/organiser-auth.ts';
import { clearPendingSignIn, holdPendingSignIn, pendingSignInOrganiser } from '../../plugins/app/pending-sign-in.ts';
import { finishTwoFactorSignIn } from '../../use-cases/organisers/finish-two-factor-sign-in.ts';
import { signInOrganiser } from '../../use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../use-cases/organisers/sign-up-organiser.ts';
import { fieldMessagesOf, problemStatus } from '../problem-status.ts';
import { pageLocals } from './page-locals.ts';

const AccountForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  email: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
  invitation: Type.Optional(Type.String({ maxLength: 500 })),
});
const SignUpQuery = Type.Object({ invitation: Type.Optional(Type.String({ maxLength: 500 })) });
const CodeForm = Type.Object({ _csrf: Type.Optional(Type.String()), code: Type.Optional(Type.String({ maxLength: 100 })) });

/** Organisers sign up, sign in (with the code step when two-factor sign-in is on) and sign out through these pages. */
const organiserAccountPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  function show(
    request: FastifyRequest,
    reply: FastifyReply,
    page: 'sign-up' | 'sign-in' | 'sign-in-code',
    values: { name?: string; email?: string; invitation?: string },
    errors: Record<string, string> = {},
  ) {
    const titles = { 'sign-up': 'Create an organiser account', 'sign-in': 'Sign in', 'sign-in-code': 'Sign in: your code' } as const;
    return reply.view(`organiser/${page}`, {
      ...pageLocals(request, reply, { forms: true }),
      title: titles[page],
      values: { name: values.name ?? '', email: values.email ?? '', invitation: values.invitation ?? '' },
      passwordMinLength: passwordLimits.minLengthAlone,
      errors,
    });
  }

  app.get('/organiser/sign-up', { schema: { hide: true, querystring: SignUpQuery } }, (request, reply) =>
    show(request, reply, 'sign-up', { invitation: request.query.invitation ?? '' }),
  );
  app.get('/organiser/sign-in', { schema: { hide: true } }, (request, reply) => show(request, reply, 'sign-in', {}));

  // The rate limits count after the CSRF check (docs/security/rate-limits.md).
  const signUpForm = { schema: { hide: true, body: AccountForm }, preValidation: csrf, preHandler: app.rateLimited('sign-up-per-client') };
  const signInForm = { ...signUpForm, preHandler: app.rateLimited('sign-in-per-client', 'sign-in-per-account') };
  app.post('/organiser/sign-up', signUpForm, async (request, reply) => {
    const name = request.body.name ?? '';
    const email = request.body.email ?? '';
    const password = request.body.password ?? '';
    const invitation = request.body.invitation ?? '';
    const outcome = await signUpOrganiser(
      ctx,
      { name, email, password, ...(invitation === '' ? {} : { invitation }) },
      ctx.config,
      request.ip,
    );
    switch (outcome.kind) {
      case 'done':
        switch (outcome.value.standing) {
          case 'active':
            await signInSession(request, outcome.value.id);
            return reply.redirect('/organiser/campaigns', 303);
          case 'awaiting_approval':
          case 'suspended':
            return reply.code(202).view('error', {
              ...pageLocals(request, reply),
              title: 'Your account waits for approval',
              status: 202,
              message:
                'Thank you. An operator of this Chorus approves new organisers before they can sign in: you can sign in once they have.',
            });
        }
        break;
      case 'conflict':
        return show(
          request,
          reply.code(409),
          'sign-up',
          { name, email, invitation },
          { email: 'An account with this email already exists: sign in instead.' },
        );
      case 'invalid':
      case 'unauthenticated':
      case 'forbidden':
      case 'not-found':
      case 'unpostable':
        return show(request, reply.code(problemStatus[outcome.kind]), 'sign-up', { name, email, invitation }, fieldMessagesOf(outcome));
    }
  });

  app.post('/organiser/sign-in', signInForm, async (request, reply) => {
    const email = request.body.email ?? '';
    const outcome = await signInOrganiser(ctx, { email, password: request.body.password ?? '' });
    switch (outcome.kind) {
      case 'done':
        break;
      // An email no account can have (it holds a character the text rule refuses) is said beside the field.
      case 'invalid':
        return show(request, reply.code(400), 'sign-in', { email }, fieldMessagesOf(outcome));
      // The same answer for an unknown email and a wrong password: no account probing.
      case 'unauthenticated':
      case 'forbidden':
      case 'not-found':
      case 'conflict':
      case 'unpostable':
        return show(request, reply.code(401), 'sign-in', { email }, { form: 'The email or the password is wrong.' });
    }
    switch (outcome.value.step) {
      case 'signed-in':
        clearPendingSignIn(request);
        await signInSession(request, outcome.value.organiser.id);
        return reply.redirect('/organiser/campaigns', 303);
      case 'second-factor':
        holdPendingSignIn(request, outcome.value.organiserId);
        return reply.redirect('/organiser/sign-in/code', 303);
    }
  });

  app.get('/organiser/sign-in/code', { schema: { hide: true } }, (request, reply) =>
    pendingSignInOrganiser(request) === undefined ? reply.redirect('/organiser/sign-in', 303) : show(request, reply, 'sign-in-code', {}),
  );

  // Its own route, so that rate limits can count code attempts apart from password attempts.
  app.post(
    '/organiser/sign-in/code',
    { schema: { hide: true, body: CodeForm }, preValidation: csrf, preHandler: app.rateLimited('totp-code-per-client') },
    async (request, reply) => {
      const organiserId = pendingSignInOrganiser(request);
      if (organiserId === undefined)
        return show(request, reply.code(401), 'sign-in', {}, { form: 'Signing in took too long: enter your email and password again.' });
      const outcome = await finishTwoFactorSignIn(ctx, organiserId, request.body.code ?? '');
      switch (outcome.kind) {
        case 'done':
          clearPendingSignIn(request);
          await signInSession(request, outcome.value.id);
          return reply.redirect('/organiser/campaigns', 303);
        case 'invalid':
        case 'unauthenticated':
        case 'forbidden':
        case 'conflict':
        case 'not-found':
        case 'unpostable':
          return show(request, reply.code(problemStatus[outcome.kind]), 'sign-in-code', {}, fieldMessagesOf(outcome));
      }
    },
  );

  app.post('/organiser/sign-out', { schema: { hide: true, body: AccountForm }, preValidation: csrf }, async (request, reply) => {
    await signOutSession(request);
    return reply.redirect('/', 303);
  });
};

export default organiserAccountPages;
