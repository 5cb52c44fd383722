import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../routes/http-error.ts';
import { checkOperator } from '../../use-cases/operators/check-operator.ts';
import { currentOrganiser } from './organiser-auth.ts';

/**
 * The guard of every operator route, added as a `preHandler` hook to the whole operator context (so a route cannot be
 * added there without it): the caller must be signed in (a session or an API token), be an operator, and have
 * two-factor sign-in on; anyone else gets 401 or 403 with the reason. Pages wrap it to send an operator without two
 * factors to enrol.
 */
export function requireOperator(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await app.requireOrganiser(request, reply);
    const outcome = await checkOperator(app.organiserSessions.db, currentOrganiser(request));
    if (outcome.kind !== 'done') throw new HttpError(403, outcome.message);
  };
}
