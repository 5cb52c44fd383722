import { sessionExpiresAt, type SessionLifetimes } from '../../domain/session-lifetime.ts';
import { describeUserAgent, ipPrefixOf } from '../../domain/sign-in-device.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertOrganiserSession } from '../../storage/organiser-session.repository.ts';

/** How a session's token begins (it lives only in the encrypted cookie, but says what it is if it ever leaks). */
export const SESSION_TOKEN_PREFIX = 'chorus_session';

/** The device a sign-in came from, as the request tells it. */
export interface SignInDevice {
  readonly userAgent: string | undefined;
  readonly ip: string | undefined;
}

/**
 * Starts a session for an organiser who has just proved who they are: a record that ends after the
 * absolute lifetime (or sooner, idle), and the token for the cookie, whose digest alone is stored.
 */
export async function startOrganiserSession(
  db: Db,
  lifetimes: SessionLifetimes,
  organiserId: string,
  device: SignInDevice,
  now: Date = new Date(),
): Promise<{ readonly token: string; readonly sessionId: string }> {
  const token = generateSecretToken(SESSION_TOKEN_PREFIX);
  const sessionId = await insertOrganiserSession(db, {
    organiserId,
    tokenHash: hashSecretToken(token),
    createdAt: now,
    expiresAt: sessionExpiresAt(now, lifetimes),
    userAgent: describeUserAgent(device.userAgent),
    ipPrefix: ipPrefixOf(device.ip),
  });
  return { token, sessionId };
}
