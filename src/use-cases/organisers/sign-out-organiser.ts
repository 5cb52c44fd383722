import { hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { deleteSessionByTokenHash } from '../../storage/organiser-session.repository.ts';

/** Signs out: ends the session this cookie token belongs to, so that a copy of the cookie opens nothing either. */
export async function signOutOrganiser(db: Db, sessionToken: string): Promise<void> {
  await deleteSessionByTokenHash(db, hashSecretToken(sessionToken));
}
