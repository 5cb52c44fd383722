import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hashSecretToken } from '../../security/secret-token.ts';
import { findOrganiserByApiToken } from '../../storage/api-token.repository.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { HttpError } from '../../routes/http-error.ts';
import { API_TOKEN_PREFIX } from '../../use-cases/organisers/create-api-token.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    organiserId: string;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in organiser, set by `requireOrganiser`. */
    organiser: Organiser | null;
  }
}

const ORGANISER_SESSION_KEY = 'organiserId';

/** Remembers the organiser in the session cookie. */
export function signInSession(request: FastifyRequest, organiserId: string): void {
  request.session.regenerate();
  request.session.set(ORGANISER_SESSION_KEY, organiserId);
}

/** Forgets the session's organiser. */
export function signOutSession(request: FastifyRequest): void {
  request.session.delete();
}

/**
 * Finds the caller: an API token (`Authorization: Bearer chorus_pat_…`) for scripts, or the
 * session cookie for people. Routes opt in with `preHandler: app.requireOrganiser`.
 */
export default fp<{ db: Db }>(async (app, { db }) => {
  app.decorateRequest('organiser', null);
  app.decorate('requireOrganiser', async (request: FastifyRequest, _reply: FastifyReply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || token === undefined || !token.startsWith(`${API_TOKEN_PREFIX}_`)) {
        throw new HttpError(401, 'the Authorization header must be "Bearer" and an API token');
      }
      request.organiser = (await findOrganiserByApiToken(db, hashSecretToken(token))) ?? null;
      if (request.organiser === null) throw new HttpError(401, 'this API token is not valid (revoked or mistyped)');
      return;
    }
    const organiserId: unknown = request.session.get(ORGANISER_SESSION_KEY);
    request.organiser = typeof organiserId === 'string' ? ((await findOrganiserById(db, organiserId)) ?? null) : null;
    if (request.organiser === null) throw new HttpError(401, 'sign in first (or send an API token)');
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler that refuses the request with 401 unless an organiser is signed in. */
    requireOrganiser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** The organiser a guarded route runs for. */
export function currentOrganiser(request: FastifyRequest): Organiser {
  if (request.organiser === null) throw new HttpError(401, 'sign in first');
  return request.organiser;
}
