import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { checkOperator } from '../../use-cases/operators/check-operator.ts';
import { HttpError } from '../http-error.ts';

/** Where an operator without two-factor sign-in is sent before anything else. */
export const TWO_FACTOR_ENROLMENT_PAGE = '/organiser/account/two-factor';

/**
 * A preHandler for organisers' pages: only a signed-in browser session opens them (an API token is
 * refused with 403: tokens are for the JSON API), and a signed-out person is sent to sign in. What
 * they show is the organiser's own, with CSRF tokens in its forms, so no cache keeps it. An operator
 * who has not turned on two-factor sign-in is sent to do so first, from every page but the account's
 * (`accountPages`: where they enrol, and can sign out).
 */
export function requireOrganiserPage(app: FastifyInstance, options: { accountPages?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      await app.requireOrganiserSession(request, reply);
      reply.header('cache-control', 'no-store');
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401) {
        await reply.redirect('/organiser/sign-in', 303);
        return;
      }
      throw error;
    }
    const organiser = currentOrganiser(request);
    if (options.accountPages !== true && organiser.role === 'operator') {
      const outcome = await checkOperator(app.organiserSessions.db, organiser);
      if (outcome.refusal === 'needs-second-factor') await reply.redirect(TWO_FACTOR_ENROLMENT_PAGE, 303);
    }
  };
}

/**
 * A preHandler for the operator's pages: a signed-in operator with two-factor sign-in on. An operator without it is
 * sent to enrol; an organiser gets a 403 page.
 */
export function requireOperatorPage(app: FastifyInstance) {
  const organiserPage = requireOrganiserPage(app);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await organiserPage(request, reply);
    if (reply.sent) return;
    const outcome = await checkOperator(app.organiserSessions.db, currentOrganiser(request));
    if (outcome.kind !== 'done') throw new HttpError(403, outcome.message);
  };
}
