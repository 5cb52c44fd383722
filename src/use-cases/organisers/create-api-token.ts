import { checkStorableText } from '../../domain/storable-text.ts';
import { apiTokenExpiresAt, apiTokenExpiryLimits, isApiTokenExpiryAllowed } from '../../domain/api-token-expiry.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertApiToken, type ApiTokenView } from '../../storage/api-token.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** How an organiser's API token begins, so that the API can tell it from a pledge's key at a glance. */
export const API_TOKEN_PREFIX = 'chorus_pat';

/** What an organiser asks for: a name, and optionally how many days the token lasts (none: until revoked). */
export interface NewApiToken {
  readonly name: string;
  readonly expiresInDays?: number | undefined;
}

/**
 * Creates an API token for an organiser's scripts; its secret is in this answer only, and only its
 * hash is kept. Only a signed-in session may create one: a token that could mint tokens would let
 * a leaked token outlive its own revocation (forbidden).
 */
export async function createApiToken(
  db: Db,
  caller: OrganiserCaller,
  input: NewApiToken,
  now: Date = new Date(),
): Promise<Outcome<ApiTokenView & { readonly token: string }>> {
  if (caller.credential.kind !== 'session')
    return { kind: 'forbidden', message: 'an API token cannot create API tokens; create them while signed in' };
  const name = input.name.trim();
  if (name === '' || name.length > 100) return invalid('give the token a name of up to 100 characters', 'name');
  // The account page's form reaches here without the API schema's text rule: Postgres would refuse a NUL with a 500.
  const characters = checkStorableText('the name', name);
  if (characters !== null) return invalid(characters, 'name');
  if (input.expiresInDays !== undefined && !isApiTokenExpiryAllowed(input.expiresInDays))
    return invalid(
      `the expiry must be a whole number of days from ${apiTokenExpiryLimits.minDays} to ${apiTokenExpiryLimits.maxDays}`,
      'expiresInDays',
    );
  const token = generateSecretToken(API_TOKEN_PREFIX);
  const stored = await insertApiToken(db, {
    organiserId: caller.organiser.id,
    name,
    tokenHash: hashSecretToken(token),
    expiresAt: apiTokenExpiresAt(now, input.expiresInDays),
  });
  return done({ ...stored, token });
}
