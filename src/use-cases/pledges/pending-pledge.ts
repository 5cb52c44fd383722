import type { ChorusContext } from '../../chorus-context.ts';
import { sealTokens } from '../../security/sealed-tokens.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { AuthorisedAccount, NetworkProfile, TokenSet } from '../../networks/social-network.ts';
import type { Campaign, Db, PendingPledge } from '../../storage/database.ts';
import {
  deletePendingPledge,
  findPendingPledge as findPendingPledgeRow,
  insertPendingPledge,
} from '../../storage/pending-pledge.repository.ts';
import type { SealedCredentials } from '../../storage/pledge.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { storableProfile } from './storable-profile.ts';

export type { PendingPledge };

/** How long a supporter may sit on the review page before they must authorise again. */
export const PENDING_PLEDGE_LIFETIME_MS = 30 * 60 * 1000;

/**
 * Holds a fresh grant server-side until the supporter confirms on the review page (tokens sealed with the
 * token key), and answers its id, the only thing their session cookie carries: a copy of the cookie replayed
 * later finds nothing once the pledge was confirmed, withdrawn or expired. The pending pledge this browser
 * held before, if any, is dropped. The network's profile is kept as `storableProfile` makes it.
 */
export async function holdPendingPledge(
  ctx: ChorusContext,
  intent: { campaignId: string; network: NetworkId; variantIndex: number | null },
  account: AuthorisedAccount,
  replacing: string | undefined,
): Promise<Outcome<string>> {
  const kept = storableProfile(intent.network, account.profile);
  if (kept.kind !== 'done') return kept;
  const profile = kept.value;
  const sealed = sealTokens(ctx.cipher, account.tokens);
  const id = await insertPendingPledge(
    ctx.db,
    {
      campaign_id: intent.campaignId,
      network: intent.network,
      variant_index: intent.variantIndex,
      network_user_id: profile.networkUserId,
      handle: profile.handle,
      display_name: profile.displayName,
      followers: profile.followers,
      server: profile.server ?? null,
      key_id: sealed.keyId,
      access_token: sealed.accessToken,
      refresh_token: sealed.refreshToken,
      access_expires_at: sealed.accessExpiresAt,
      scopes: sealed.scopes,
      expires_at: new Date(Date.now() + PENDING_PLEDGE_LIFETIME_MS),
    },
    replacing,
  );
  return done(id);
}

/** The pending pledge a session names, for this campaign; not-found once it was confirmed, withdrawn or expired. */
export async function findPendingPledge(db: Db, campaign: Pick<Campaign, 'id'>, id: string | undefined): Promise<Outcome<PendingPledge>> {
  const pending = id === undefined ? undefined : await findPendingPledgeRow(db, id, campaign.id);
  return pending === undefined ? notFound('pending pledge') : done(pending);
}

/** Drops a pending pledge the supporter chose not to confirm, with the grant it held. */
export async function discardPendingPledge(db: Db, id: string): Promise<Outcome<null>> {
  await deletePendingPledge(db, id);
  return done(null);
}

/** The account a pending pledge was authorised for, as the network described it. */
export function profileOf(pending: PendingPledge): NetworkProfile {
  return {
    networkUserId: pending.network_user_id,
    handle: pending.handle,
    displayName: pending.display_name,
    followers: pending.followers,
    ...(pending.server === null ? {} : { server: pending.server }),
  };
}

/** The sealed grant of a pending pledge, as the pledges table stores it. */
export function credentialsOf(pending: PendingPledge): SealedCredentials {
  return {
    keyId: pending.key_id,
    accessToken: pending.access_token,
    refreshToken: pending.refresh_token,
    accessExpiresAt: pending.access_expires_at,
    scopes: pending.scopes,
  };
}

/** A grant sealed with the token key, as the pledges table stores it (the API's pledges are recorded straight from the consent). */
export function sealedGrantOf(ctx: ChorusContext, tokens: TokenSet): SealedCredentials {
  return sealTokens(ctx.cipher, tokens);
}
