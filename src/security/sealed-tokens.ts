import type { TokenSet } from '../networks/social-network.ts';
import type { SealedCredentials } from '../storage/pledge.repository.ts';
import type { TokenCipher } from './token-cipher.ts';

/** A grant as a row holds it: encrypted under the key `key_id` names. */
export interface SealedGrantColumns {
  readonly key_id: string;
  readonly access_token: Buffer;
  readonly refresh_token: Buffer | null;
  readonly access_expires_at: Date;
  readonly scopes: string;
}

/** Encrypts a grant for storage. */
export function sealTokens(cipher: TokenCipher, tokens: TokenSet): SealedCredentials {
  return {
    keyId: cipher.keyId,
    accessToken: cipher.encrypt(tokens.accessToken),
    refreshToken: tokens.refreshToken === null ? null : cipher.encrypt(tokens.refreshToken),
    accessExpiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
  };
}

/** Decrypts a stored grant, for a refresh or a post. */
export function openSealedTokens(cipher: TokenCipher, held: SealedGrantColumns): TokenSet {
  return {
    accessToken: cipher.decrypt(held.key_id, held.access_token),
    refreshToken: held.refresh_token === null ? null : cipher.decrypt(held.key_id, held.refresh_token),
    expiresAt: held.access_expires_at,
    scopes: held.scopes,
  };
}
