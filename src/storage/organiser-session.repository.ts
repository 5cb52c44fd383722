import type { Db, Organiser, OrganiserSession } from './database.ts';

/** A session found by its token, with the organiser it signs in. */
export interface SessionWithOrganiser {
  readonly session: Pick<OrganiserSession, 'id' | 'last_seen_at' | 'expires_at'>;
  readonly organiser: Organiser;
}

/** What an organiser's list of sessions shows; never the token's digest. */
export type OrganiserSessionView = Omit<OrganiserSession, 'token_hash' | 'organiser_id'>;

/** Records a new session (its token's digest) for an organiser; answers its id. */
export async function insertOrganiserSession(
  db: Db,
  values: { organiserId: string; tokenHash: string; createdAt: Date; expiresAt: Date; userAgent: string; ipPrefix: string | null },
): Promise<string> {
  const row = await db
    .insertInto('organiser_sessions')
    .values({
      organiser_id: values.organiserId,
      token_hash: values.tokenHash,
      created_at: values.createdAt,
      last_seen_at: values.createdAt,
      expires_at: values.expiresAt,
      user_agent: values.userAgent,
      ip_prefix: values.ipPrefix,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session whose token has this digest, and its organiser, whether or not it has ended (the caller decides). */
export async function findSessionByTokenHash(db: Db, tokenHash: string): Promise<SessionWithOrganiser | undefined> {
  const row = await db
    .selectFrom('organiser_sessions as s')
    .innerJoin('organisers as o', 'o.id', 's.organiser_id')
    .selectAll('o')
    .select(['s.id as session_id', 's.last_seen_at as session_last_seen_at', 's.expires_at as session_expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const { session_id, session_last_seen_at, session_expires_at, ...organiser } = row;
  return { session: { id: session_id, last_seen_at: session_last_seen_at, expires_at: session_expires_at }, organiser };
}

/** Notes that the session was used at `now`. */
export async function touchOrganiserSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('organiser_sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

/** Ends one session. */
export async function deleteOrganiserSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('organiser_sessions').where('id', '=', sessionId).execute();
}

/** Ends the session whose token has this digest (signing out); false when there was none. */
export async function deleteSessionByTokenHash(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('organiser_sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends every session of an organiser, but the one `exceptSessionId` names when given; answers how many ended. */
export async function deleteOrganiserSessions(db: Db, organiserId: string, exceptSessionId?: string): Promise<number> {
  let query = db.deleteFrom('organiser_sessions').where('organiser_id', '=', organiserId);
  if (exceptSessionId !== undefined) query = query.where('id', '<>', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** An organiser's sessions, the most recently used first. */
export function listOrganiserSessions(db: Db, organiserId: string): Promise<OrganiserSessionView[]> {
  return db
    .selectFrom('organiser_sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip_prefix'])
    .where('organiser_id', '=', organiserId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/**
 * Deletes every session past its absolute end or unused since `idleSince`; answers how many.
 * A scan of the table: it holds a week of sign-ins at most, and an index on last_seen_at would
 * turn every noted request into a non-HOT update.
 */
export async function deleteEndedSessions(db: Db, now: Date, idleSince: Date): Promise<number> {
  const result = await db
    .deleteFrom('organiser_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
