import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionLifetimes } from '../../domain/session-lifetime.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { HttpError } from '../../routes/http-error.ts';
import { authenticateApiToken, authenticateSession } from '../../use-cases/organisers/authenticate-organiser.ts';
import { API_TOKEN_PREFIX } from '../../use-cases/organisers/create-api-token.ts';
import type { OrganiserCaller, OrganiserCredential } from '../../use-cases/organisers/organiser-caller.ts';
import type { OrganiserActor } from '../../use-cases/organisations/audit-actor.ts';
import { signOutOrganiser } from '../../use-cases/organisers/sign-out-organiser.ts';
import { startOrganiserSession } from '../../use-cases/organisers/start-organiser-session.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The organiser's session token; its record (organiser_sessions) says whether it still signs anyone in. */
    organiserSession: string;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in organiser: set from the session cookie for every request, or by `requireOrganiser` from an API token. */
    organiser: Organiser | null;
    /** How `organiser` proved who they are. */
    organiserCredential: OrganiserCredential | null;
  }
  interface FastifyInstance {
    /** A preHandler that refuses the request with 401 unless an organiser is signed in or sends an API token. */
    requireOrganiser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** A preHandler for what only a signed-in browser may do (the pages): 403 with an API token, 401 signed out. */
    requireOrganiserSession: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Where signInSession and signOutSession keep sessions. */
    organiserSessions: { readonly db: Db; readonly lifetimes: SessionLifetimes };
  }
}

const SESSION_KEY = 'organiserSession';

/**
 * Signs the organiser in on this browser, after they proved who they are (password, and whatever
 * else sign-in asks): a new session record, and its token in a fresh cookie session (nothing of the
 * session before survives, so a planted cookie cannot be signed in). The one way a sign-in starts.
 */
export async function signInSession(request: FastifyRequest, organiserId: string): Promise<void> {
  const { db, lifetimes } = request.server.organiserSessions;
  const previous = request.session.get(SESSION_KEY);
  if (typeof previous === 'string') await signOutOrganiser(db, previous);
  const started = await startOrganiserSession(db, lifetimes, organiserId, { userAgent: request.headers['user-agent'], ip: request.ip });
  request.session.regenerate();
  request.session.set(SESSION_KEY, started.token);
}

/** Signs out of this session: its record ends (wherever the cookie was copied) and the cookie is cleared. */
export async function signOutSession(request: FastifyRequest): Promise<void> {
  const token = request.session.get(SESSION_KEY);
  if (typeof token === 'string') await signOutOrganiser(request.server.organiserSessions.db, token);
  request.session.delete();
  request.organiser = null;
  request.organiserCredential = null;
}

/**
 * Finds the caller: the session cookie for people, checked against its record on every request,
 * or an API token (`Authorization: Bearer chorus_pat_…`) for scripts, on the routes that opt in with
 * `preHandler: app.requireOrganiser`. Pages take only the session (`requireOrganiserSession`).
 */
export default fp<{ db: Db; lifetimes: SessionLifetimes }>(async (app, { db, lifetimes }) => {
  app.decorate('organiserSessions', { db, lifetimes });
  app.decorateRequest('organiser', null);
  app.decorateRequest('organiserCredential', null);

  // After secure-session's own onRequest hook (registered before this plugin), which decrypts the cookie.
  app.addHook('onRequest', async (request) => {
    // A request with an Authorization header is a script's: its token alone counts, not a cookie beside it.
    if (request.headers.authorization !== undefined) return;
    const token = request.session.get(SESSION_KEY);
    if (typeof token !== 'string') return;
    const outcome = await authenticateSession(db, lifetimes, token);
    if (outcome.kind === 'done') {
      request.organiser = outcome.value.organiser;
      request.organiserCredential = outcome.value.credential;
    } else {
      // The session has ended: forget its token, so that the next requests do not look it up again.
      request.session.set(SESSION_KEY, undefined);
    }
  });

  app.decorate('requireOrganiser', async (request: FastifyRequest, _reply: FastifyReply) => {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      if (request.organiser === null) throw new HttpError(401, 'sign in first (or send an API token)');
      return;
    }
    const [scheme, token] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || !token.startsWith(`${API_TOKEN_PREFIX}_`)) {
      throw new HttpError(401, 'the Authorization header must be "Bearer" and an API token');
    }
    const outcome = await authenticateApiToken(db, token);
    if (outcome.kind !== 'done') throw new HttpError(401, outcome.message);
    request.organiser = outcome.value.organiser;
    request.organiserCredential = outcome.value.credential;
  });

  app.decorate('requireOrganiserSession', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.headers.authorization !== undefined)
      throw new HttpError(403, 'API tokens open the JSON API (/api/v1) only; sign in to use the pages');
    if (request.organiser === null) throw new HttpError(401, 'sign in first');
  });
});

/** The organiser a guarded route runs for. */
export function currentOrganiser(request: FastifyRequest): Organiser {
  return currentCaller(request).organiser;
}

/** The organiser a guarded route runs for, and how they proved it. */
export function currentCaller(request: FastifyRequest): OrganiserCaller {
  if (request.organiser === null || request.organiserCredential === null) throw new HttpError(401, 'sign in first');
  return { organiser: request.organiser, credential: request.organiserCredential };
}

/** The signed-in organiser as the audit log records them: who, and from the client address Fastify saw (TRUST_PROXY). */
export function currentActor(request: FastifyRequest): OrganiserActor {
  return { kind: 'organiser', organiserId: currentOrganiser(request).id, clientIp: request.ip };
}

/** The session token this browser presented, if any: a long-lived response (the dashboard's stream) checks it again later. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const token = request.session.get(SESSION_KEY);
  return typeof token === 'string' ? token : undefined;
}

/** Whether a signed-in browser session is making this request (the pages' header and forms show it). */
export function isSignedIn(request: FastifyRequest): boolean {
  return request.organiser !== null && request.organiserCredential?.kind === 'session';
}
