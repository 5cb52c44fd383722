import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertApiToken } from '../../storage/api-token.repository.ts';

/** How an organiser's API token begins, so that the API can tell it from a pledge's key at a glance. */
export const API_TOKEN_PREFIX = 'chorus_pat';

/** Creates an API token for an organiser's scripts; its secret is in this answer only, and only its hash is kept. */
export async function createApiToken(db: Db, organiserId: string, name: string) {
  const token = generateSecretToken(API_TOKEN_PREFIX);
  const stored = await insertApiToken(db, organiserId, name, hashSecretToken(token));
  return { ...stored, token };
}
