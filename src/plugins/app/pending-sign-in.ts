import type { FastifyRequest } from 'fastify';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** An organiser whose password matched and who has still to type a code: not signed in. */
    pendingSignIn: { organiserId: string; until: number };
  }
}

const PENDING_SIGN_IN_KEY = 'pendingSignIn';

/** How long the code step waits after the password step: long enough to open an app, short enough to be of little use if copied. */
export const PENDING_SIGN_IN_LIFETIME_MS = 5 * 60 * 1000;

/**
 * Remembers, in the encrypted session cookie, that this organiser's password matched and a code is
 * due. This is never a session: nothing but the code step reads it.
 */
export function holdPendingSignIn(request: FastifyRequest, organiserId: string, now = Date.now()): void {
  request.session.set(PENDING_SIGN_IN_KEY, { organiserId, until: now + PENDING_SIGN_IN_LIFETIME_MS });
}

/** The organiser whose code is due, while the code step is still open; undefined when there is none or it has lapsed. */
export function pendingSignInOrganiser(request: FastifyRequest, now = Date.now()): string | undefined {
  const pending: unknown = request.session.get(PENDING_SIGN_IN_KEY);
  if (typeof pending !== 'object' || pending === null) return undefined;
  const { organiserId, until } = pending as { organiserId?: unknown; until?: unknown };
  return typeof organiserId === 'string' && typeof until === 'number' && until > now ? organiserId : undefined;
}

/** Forgets the code step (done, or abandoned). */
export function clearPendingSignIn(request: FastifyRequest): void {
  request.session.set(PENDING_SIGN_IN_KEY, undefined);
}
