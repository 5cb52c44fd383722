import type { SessionLifetimes } from '../../domain/session-lifetime.ts';
import type { Db } from '../../storage/database.ts';
import { deleteEndedSessions } from '../../storage/organiser-session.repository.ts';

/**
 * Deletes the records of sessions that have ended (absolute or idle lifetime) and that nobody
 * presented again: the workers run it periodically. A session presented after its end is
 * refused and deleted at once by authenticateSession; this clears the rest.
 */
export function deleteEndedOrganiserSessions(db: Db, lifetimes: SessionLifetimes, now: Date = new Date()): Promise<number> {
  return deleteEndedSessions(db, now, new Date(now.getTime() - lifetimes.idleMs));
}
