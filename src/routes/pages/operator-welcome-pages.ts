import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { passwordLimits } from '../../domain/password-rules.ts';
import { signInSession } from '../../plugins/app/organiser-auth.ts';
import { checkOperatorLink, chooseOperatorPassword } from '../../use-cases/operators/choose-operator-password.ts';
import { fieldMessagesOf, problemStatus } from '../problem-status.ts';
import { TWO_FACTOR_ENROLMENT_PAGE } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) });
const WelcomeForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  token: Type.Optional(Type.String({ maxLength: 200 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
});

/**
 * Where the one-time link of `npm run operator:create` leads: the new operator chooses a password, is signed in, and
 * goes on to turn on two-factor sign-in (required before anything an operator does).
 */
const operatorWelcomePages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);

  function show(request: FastifyRequest, reply: FastifyReply, token: string, email: string, errors: Record<string, string> = {}) {
    return reply.view('operator/welcome', {
      ...pageLocals(request, reply, { forms: true }),
      title: 'Welcome, operator',
      noindex: true,
      token,
      email,
      passwordMinLength: passwordLimits.minLengthAlone,
      errors,
    });
  }

  // Looking a link up is counted as a sign-in attempt: a token is too long to guess, but nobody should try.
  app.get(
    '/operator/welcome',
    { onRequest: app.rateLimited('sign-in-per-client'), schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const link = await checkOperatorLink(ctx.db, token);
      switch (link.kind) {
        case 'done':
          // The token is in this page's address: no referrer carries it anywhere.
          reply.header('referrer-policy', 'no-referrer');
          return show(request, reply, token, link.value.email);
        case 'invalid':
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'conflict':
        case 'unpostable':
          return reply
            .code(410)
            .view('error', { ...pageLocals(request, reply), title: 'This link no longer works', status: 410, message: `${link.message}.` });
      }
    },
  );

  app.post(
    '/operator/welcome',
    { schema: { hide: true, body: WelcomeForm }, preValidation: csrf, preHandler: app.rateLimited('sign-in-per-client') },
    async (request, reply) => {
      const token = request.body.token ?? '';
      const outcome = await chooseOperatorPassword(ctx, token, request.body.password ?? '');
      switch (outcome.kind) {
        case 'done':
          await signInSession(request, outcome.value.id);
          return reply.redirect(TWO_FACTOR_ENROLMENT_PAGE, 303);
        case 'invalid': {
          const link = await checkOperatorLink(ctx.db, token);
          return show(request, reply.code(400), token, link.kind === 'done' ? link.value.email : '', fieldMessagesOf(outcome));
        }
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'conflict':
        case 'unpostable':
          return reply.code(problemStatus[outcome.kind] === 404 ? 410 : problemStatus[outcome.kind]).view('error', {
            ...pageLocals(request, reply),
            title: 'This link no longer works',
            status: 410,
            message: `${outcome.message}.`,
          });
      }
    },
  );
};

export default operatorWelcomePages;
