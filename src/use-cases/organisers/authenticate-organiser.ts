import { isApiTokenExpired } from '../../domain/api-token-expiry.ts';
import { standingRefusal } from '../../domain/organiser-role.ts';
import { isLastUseStale, sessionStanding, type SessionLifetimes } from '../../domain/session-lifetime.ts';
import { hashSecretToken } from '../../security/secret-token.ts';
import { findApiTokenByHash, touchApiToken } from '../../storage/api-token.repository.ts';
import type { Db } from '../../storage/database.ts';
import { deleteOrganiserSession, findSessionByTokenHash, touchOrganiserSession } from '../../storage/organiser-session.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/**
 * The organiser a session cookie's token signs in, checked against its record on every request: a
 * token whose session was ended (signed out, here or everywhere, or by a password change) or has
 * run out (idle or absolute lifetime) is refused. A session found ended is deleted there and then;
 * the ones nobody presents again are deleted by the workers' sweep (delete-ended-sessions.ts).
 * `noteUse: false` checks without counting it as use (an open dashboard's stream does not keep a session from idling).
 */
export async function authenticateSession(
  db: Db,
  lifetimes: SessionLifetimes,
  sessionToken: string,
  now: Date = new Date(),
  options: { readonly noteUse?: boolean } = {},
): Promise<Outcome<OrganiserCaller>> {
  const found = await findSessionByTokenHash(db, hashSecretToken(sessionToken));
  if (found === undefined) return { kind: 'unauthenticated', message: 'this session has ended; sign in again' };
  const standing = sessionStanding(found.session, lifetimes, now);
  switch (standing) {
    case 'idle':
    case 'expired':
      await deleteOrganiserSession(db, found.session.id);
      return {
        kind: 'unauthenticated',
        message:
          standing === 'idle' ? 'this session ended after a time without use; sign in again' : 'this session has ended; sign in again',
      };
    case 'active':
      if (standingRefusal(found.organiser.standing) !== null) {
        await deleteOrganiserSession(db, found.session.id);
        return { kind: 'unauthenticated', message: `${standingRefusal(found.organiser.standing) ?? ''}; this session has ended` };
      }
      if (options.noteUse !== false && isLastUseStale(found.session.last_seen_at, now))
        await touchOrganiserSession(db, found.session.id, now);
      return done({ organiser: found.organiser, credential: { kind: 'session', sessionId: found.session.id } });
  }
}

/** The organiser an API token acts for; refused once it is revoked or past its expiry. Notes its use at most once a minute. */
export async function authenticateApiToken(db: Db, token: string, now: Date = new Date()): Promise<Outcome<OrganiserCaller>> {
  const found = await findApiTokenByHash(db, hashSecretToken(token));
  if (found === undefined) return { kind: 'unauthenticated', message: 'this API token is not valid (revoked or mistyped)' };
  if (isApiTokenExpired(found.token.expires_at, now)) return { kind: 'unauthenticated', message: 'this API token has expired' };
  const refusal = standingRefusal(found.organiser.standing);
  if (refusal !== null) return { kind: 'unauthenticated', message: `${refusal}; its API tokens no longer work` };
  if (isLastUseStale(found.token.last_used_at, now)) await touchApiToken(db, found.token.id, now);
  return done({ organiser: found.organiser, credential: { kind: 'api-token', tokenId: found.token.id } });
}
