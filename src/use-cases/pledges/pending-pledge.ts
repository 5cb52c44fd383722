import type { ChorusContext } from '../../chorus-context.ts';
import { sealTokens } from '../../security/sealed-tokens.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { AuthorisedAccount, NetworkProfile, TokenSet } from '../../networks/social-network.ts';
import type { SealedCredentials } from '../../storage/pledge.repository.ts';

/**
 * A grant the supporter gave on the consent page, held in their encrypted session cookie
 * (tokens sealed with the token key as well) until they confirm on the review page.
 */
export interface PendingPledge {
  readonly campaignId: string;
  readonly network: NetworkId;
  readonly variantIndex: number | null;
  readonly profile: NetworkProfile;
  readonly sealed: { keyId: string; accessToken: string; refreshToken: string | null; accessExpiresAt: string; scopes: string };
  readonly authorisedAt: number;
}

/** How long a supporter may sit on the review page before they must authorise again. */
export const PENDING_PLEDGE_LIFETIME_MS = 30 * 60 * 1000;

/** Seals a fresh grant for the session, until the supporter confirms. */
export function pendingPledgeFor(
  ctx: ChorusContext,
  intent: { campaignId: string; network: NetworkId; variantIndex: number | null },
  account: AuthorisedAccount,
): PendingPledge {
  const sealed = sealTokens(ctx.cipher, account.tokens);
  return {
    ...intent,
    profile: account.profile,
    sealed: {
      keyId: sealed.keyId,
      accessToken: sealed.accessToken.toString('base64'),
      refreshToken: sealed.refreshToken?.toString('base64') ?? null,
      accessExpiresAt: sealed.accessExpiresAt.toISOString(),
      scopes: sealed.scopes,
    },
    authorisedAt: Date.now(),
  };
}

/** The sealed grant of a pending pledge, as the pledges table stores it. */
export function credentialsOf(pending: PendingPledge): SealedCredentials {
  return {
    keyId: pending.sealed.keyId,
    accessToken: Buffer.from(pending.sealed.accessToken, 'base64'),
    refreshToken: pending.sealed.refreshToken === null ? null : Buffer.from(pending.sealed.refreshToken, 'base64'),
    accessExpiresAt: new Date(pending.sealed.accessExpiresAt),
    scopes: pending.sealed.scopes,
  };
}

/** A grant sealed with the token key, as the pledges table stores it (the API's pledges are recorded straight from the consent). */
export function sealedGrantOf(ctx: ChorusContext, tokens: TokenSet): SealedCredentials {
  return sealTokens(ctx.cipher, tokens);
}
