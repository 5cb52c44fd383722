import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../routes/http-error.ts';

/**
 * A preHandler for what only a person signed in with their password may do (two-factor settings):
 * like requireOrganiser, but an API token is refused, so a leaked token cannot lock its owner out
 * by turning on an authenticator app the owner does not hold.
 */
export function requireBrowserSession(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // organiser-auth reads an Authorization header as an API token and the cookie only without one.
    if (request.headers.authorization !== undefined)
      throw new HttpError(403, 'two-factor sign-in is changed from a signed-in session, not with an API token');
    await app.requireOrganiser(request, reply);
  };
}
