import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';

/**
 * A preHandler for organisers' pages: only a signed-in browser session opens them (an API token is
 * refused with 403: tokens are for the JSON API), and a signed-out person is sent to sign in. What
 * they show is the organiser's own, with CSRF tokens in its forms, so no cache keeps it.
 */
export function requireOrganiserPage(app: FastifyInstance) {
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
  };
}
