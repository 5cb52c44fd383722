import type { SocialNetwork } from '../networks/social-network.ts';
import { openSealedTokens, sealTokens } from '../security/sealed-tokens.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import { findCredentials, renewCredentialsLocked } from '../storage/credentials.repository.ts';
import type { Db, PledgeCredentials } from '../storage/database.ts';

/** An access token usable now, or why there is none. */
export type AccessTokenResult =
  | { readonly kind: 'token'; readonly accessToken: string }
  | { readonly kind: 'revoked'; readonly reason: string }
  | { readonly kind: 'retry-with-backoff'; readonly reason: string }
  | { readonly kind: 'missing' };

/** Refresh a little before expiry, so a token does not lapse between this check and the post. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/**
 * Returns a pledge's access token, refreshing it first when it is near expiry. The refresh
 * runs under the credentials' row lock with the grant re-read inside it, and the rotated pair
 * is stored in the same transaction: a rotating refresh token is never used twice.
 */
export async function obtainAccessToken(
  ctx: {
    readonly db: Db;
    readonly cipher: TokenCipher;
    readonly readCredentials?: (pledgeId: string) => Promise<PledgeCredentials | undefined>;
  },
  pledgeId: string,
  network: SocialNetwork,
  now: Date = new Date(),
): Promise<AccessTokenResult> {
  const held = await (ctx.readCredentials ?? ((id: string) => findCredentials(ctx.db, id)))(pledgeId);
  if (held === undefined) return { kind: 'missing' };
  if (isFresh(held, now)) return { kind: 'token', accessToken: ctx.cipher.decrypt(held.key_id, held.access_token) };

  const result = await renewCredentialsLocked<AccessTokenResult>(ctx.db, pledgeId, async (current) => {
    const tokens = openSealedTokens(ctx.cipher, current);
    if (isFresh(current, now)) return { store: null, result: { kind: 'token', accessToken: tokens.accessToken } };
    const renewed = await network.refresh(tokens);
    switch (renewed.kind) {
      case 'refreshed':
        return { store: sealTokens(ctx.cipher, renewed.tokens), result: { kind: 'token', accessToken: renewed.tokens.accessToken } };
      case 'revoked':
      case 'retry-with-backoff':
        return { store: null, result: renewed };
    }
  });
  return result ?? { kind: 'missing' };
}

function isFresh(held: PledgeCredentials, now: Date): boolean {
  return held.access_expires_at.getTime() - EXPIRY_MARGIN_MS > now.getTime();
}
