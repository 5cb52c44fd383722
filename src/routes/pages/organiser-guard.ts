import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';

/** A preHandler for organisers' pages: like requireOrganiser, but a signed-out person is sent to sign in. */
export function requireOrganiserPage(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      await app.requireOrganiser(request, reply);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401) {
        await reply.redirect('/organiser/sign-in', 303);
        return;
      }
      throw error;
    }
  };
}
