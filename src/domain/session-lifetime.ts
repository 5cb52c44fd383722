/**
 * How long an organiser's signed-in session lasts: it ends after `idleMs` without a request, and
 * `absoluteMs` after sign-in however busy it is (both from configuration).
 */
export interface SessionLifetimes {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/** Where a session stands: usable, ended by idleness, or past its absolute end. */
export type SessionStanding = 'active' | 'idle' | 'expired';

/**
 * How often a request is noted on a session or an API token: at most once a minute, so that a busy
 * script or page does not write a row per request. Idle ends and "last used" are as precise as this.
 */
export const LAST_USE_PRECISION_MS = 60_000;

/** The absolute end of a session started at `createdAt`. */
export function sessionExpiresAt(createdAt: Date, lifetimes: SessionLifetimes): Date {
  return new Date(createdAt.getTime() + lifetimes.absoluteMs);
}

/** When a session last seen at `lastSeenAt` ends for idleness, unless it is used before then. */
export function sessionIdleEndsAt(lastSeenAt: Date, lifetimes: SessionLifetimes): Date {
  return new Date(lastSeenAt.getTime() + lifetimes.idleMs);
}

/** Whether the session can still be used at `now`, and if not, why. */
export function sessionStanding(
  session: { readonly last_seen_at: Date; readonly expires_at: Date },
  lifetimes: SessionLifetimes,
  now: Date,
): SessionStanding {
  if (session.expires_at.getTime() <= now.getTime()) return 'expired';
  if (sessionIdleEndsAt(session.last_seen_at, lifetimes).getTime() <= now.getTime()) return 'idle';
  return 'active';
}

/** Whether a use at `now` should be written down, given the last one written (null: never used). */
export function isLastUseStale(lastUse: Date | null, now: Date): boolean {
  return lastUse === null || now.getTime() - lastUse.getTime() >= LAST_USE_PRECISION_MS;
}
