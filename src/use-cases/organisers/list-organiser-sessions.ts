import { sessionIdleEndsAt, type SessionLifetimes } from '../../domain/session-lifetime.ts';
import type { Db } from '../../storage/database.ts';
import { listOrganiserSessions } from '../../storage/organiser-session.repository.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** One signed-in session as its owner sees it: where and when it started, when it was last used, when it ends. */
export interface SessionSummary {
  readonly id: string;
  readonly device: string;
  readonly ipPrefix: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** The earlier of its absolute end and its idle end (which moves on with each use). */
  readonly endsAt: Date;
  /** Whether it is the session asking. */
  readonly current: boolean;
}

/** The caller's signed-in sessions, the most recently used first; ended ones not yet swept are left out. */
export async function listSessionsOf(
  db: Db,
  lifetimes: SessionLifetimes,
  caller: OrganiserCaller,
  now: Date = new Date(),
): Promise<SessionSummary[]> {
  const currentId = caller.credential.kind === 'session' ? caller.credential.sessionId : null;
  const sessions = await listOrganiserSessions(db, caller.organiser.id);
  return sessions
    .map((session) => {
      const idleEnd = sessionIdleEndsAt(session.last_seen_at, lifetimes);
      return {
        id: session.id,
        device: session.user_agent,
        ipPrefix: session.ip_prefix,
        createdAt: session.created_at,
        lastSeenAt: session.last_seen_at,
        endsAt: idleEnd < session.expires_at ? idleEnd : session.expires_at,
        current: session.id === currentId,
      };
    })
    .filter((session) => session.endsAt > now);
}
