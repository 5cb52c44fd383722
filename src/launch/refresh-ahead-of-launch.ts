import type { NetworkRegistry } from '../networks/network-registry.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import { pageCredentialsExpiringBefore } from '../storage/credentials.repository.ts';
import { obtainAccessToken } from '../delivery/obtain-access-token.ts';
import { holdRefusedGrantForRenewal, type RefusedGrantContext } from '../use-cases/supporter-mail/hold-refused-grant-for-renewal.ts';

export interface RefreshAheadContext extends RefusedGrantContext {
  readonly cipher: TokenCipher;
  readonly networks: Pick<NetworkRegistry, 'load' | 'outline'>;
  /** Refreshes started per second by this worker, so a large campaign does not hammer the token endpoint. */
  readonly refreshesPerSecond: number;
  /** Checked between refreshes: true when the worker is shutting down. */
  readonly stopping: () => boolean;
}

/** What one pass over a campaign's tokens did. */
export interface RefreshAheadResult {
  readonly refreshed: number;
  /** Grants the network refused to refresh: erased, and their supporters asked to authorise again before the launch. */
  readonly revoked: number;
  /** Refreshes that failed for now; the next pass (or the delivery itself) tries again. */
  readonly deferred: number;
}

// Tokens must still be good this long after the launch, for the posts that go out late in a release.
const freshAfterLaunchMs = 30 * 60 * 1000;
const pageSize = 200;

/**
 * Refreshes, ahead of the launch, every token of a campaign that would expire around it, at a
 * steady pace. Each refresh runs under the grant's row lock with the token re-read (see
 * obtainAccessToken), so passes by several workers never refresh one grant twice. A supporter
 * who revoked access has their grant erased and is asked by mail to authorise again, which
 * brings their post back at the launch (holdRefusedGrantForRenewal); their pledge is not failed.
 */
export async function refreshTokensAheadOfLaunch(
  ctx: RefreshAheadContext,
  campaign: { id: string; launch_at: Date },
): Promise<RefreshAheadResult> {
  const freshAt = new Date(campaign.launch_at.getTime() + freshAfterLaunchMs);
  const gapMs = 1000 / ctx.refreshesPerSecond;
  let refreshed = 0;
  let revoked = 0;
  let deferred = 0;
  let cursor: string | null = null;
  for (;;) {
    const page = await pageCredentialsExpiringBefore(ctx.db, campaign.id, freshAt, cursor, pageSize);
    for (const { pledgeId, network: networkId } of page) {
      if (ctx.stopping()) return { refreshed, revoked, deferred };
      const network = await ctx.networks.load(networkId);
      if (network === undefined) continue;
      const result = await obtainAccessToken(ctx, pledgeId, network, freshAt);
      switch (result.kind) {
        case 'token':
          refreshed += 1;
          break;
        case 'revoked':
          await holdRefusedGrantForRenewal(ctx, campaign.id, pledgeId, result.reason);
          revoked += 1;
          break;
        case 'retry-with-backoff':
          deferred += 1;
          break;
        case 'missing':
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return { refreshed, revoked, deferred };
    cursor = last.pledgeId;
  }
}
