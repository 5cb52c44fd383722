import type { NetworkPauseAnswer } from '../domain/network-pause.ts';
import { storableNetworkReason, storablePostId } from '../domain/network-text.ts';
import { backoffDelayMs, postBackoff, resetJitterMs, type BackoffPolicy } from '../domain/retry-backoff.ts';
import { decideOnPause } from '../delivery/network-pause-decision.ts';
import { EXPIRY_MARGIN_MS } from '../delivery/obtain-access-token.ts';
import type { NetworkRegistry } from '../networks/network-registry.ts';
import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { SocialNetwork } from '../networks/social-network.ts';
import { openSealedTokens, sealTokens } from '../security/sealed-tokens.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import {
  claimCampaignPost,
  recordCampaignPost,
  releaseCampaignPostClaim,
  storeCampaignAccountGrant,
  type CampaignPostClaim,
  type StoredCampaignPost,
} from '../storage/campaign-account.repository.ts';
import type { Db } from '../storage/database.ts';
import { changeNetworkHold } from '../storage/network-hold.repository.ts';
import { hasActivePledgeOn } from '../storage/pledge.repository.ts';

export interface CampaignPostContext {
  readonly db: Db;
  readonly cipher: TokenCipher;
  readonly networks: Pick<NetworkRegistry, 'load'>;
  /** The deliveries' rules: a claim's lease, how long after the launch retries may go on, and how far apart a paused network is tried. */
  readonly policy: { readonly leaseMs: number; readonly retryWindowMs: number; readonly pauseProbe: BackoffPolicy };
  /** Jitter source in [0, 1); tests may pin it. */
  readonly random?: () => number;
}

/** What the campaign-post step of a launch did. */
export type CampaignPostStep =
  /** Nothing to make: not in repost mode, no X supporter, no X configured, or no account connected. */
  | { readonly kind: 'not-needed' }
  /** Made or given up; either way the fan-out goes ahead and the reposts read the outcome. */
  | { readonly kind: 'decided'; readonly post: Exclude<StoredCampaignPost, { kind: 'not-made' }> }
  /** Not made yet (a rate limit, a failure for now, another worker's claim): the launch job comes back at `at`. */
  | { readonly kind: 'come-back'; readonly at: Date; readonly reason: string };

type Decided = Extract<CampaignPostStep, { kind: 'decided' }>['post'];

// X's post id and words as campaign_accounts keeps them (src/domain/network-text.ts).
function storablePost(post: Decided): Decided {
  switch (post.kind) {
    case 'sent':
      return { kind: 'sent', postId: storablePostId(post.postId) };
    case 'failed':
      return { kind: 'failed', reason: storableNetworkReason(post.reason) };
  }
}

/**
 * Makes the campaign's own X post once, before the launch hands out any repost. It is claimed
 * in Postgres before X is called, as a delivery is: a claim left by a worker that died is looked
 * for on the account before anything is posted again, and the grant is erased once the post is decided.
 */
export async function makeCampaignPost(ctx: CampaignPostContext, campaignId: string, now: Date = new Date()): Promise<CampaignPostStep> {
  // Reposts are what the post is for: with no X supporter there is nothing to make.
  if (!(await hasActivePledgeOn(ctx.db, campaignId, 'x'))) return { kind: 'not-needed' };
  const x = await ctx.networks.load('x');
  if (x?.repost === undefined) return { kind: 'not-needed' };
  const claimed = await claimCampaignPost(ctx.db, campaignId, ctx.policy.leaseMs, now);
  switch (claimed.kind) {
    case 'no-account':
      return { kind: 'not-needed' };
    case 'decided':
      return claimed;
    case 'busy':
      return { kind: 'come-back', at: claimed.until, reason: "another worker is making the campaign's post" };
    case 'claimed':
      break;
  }
  const { claim } = claimed;
  const attempt = await postOnce(ctx, x, campaignId, claim);
  const comeBack = async (at: Date, reason: string): Promise<CampaignPostStep> => {
    // A claim that had to look first keeps its mark (a dead worker's post may still show up): it is taken again once its lease ends.
    if (!claim.mustCheck) {
      await releaseCampaignPostClaim(ctx.db, campaignId, claim.claimedAt);
      return { kind: 'come-back', at, reason };
    }
    return { kind: 'come-back', at: new Date(Math.max(at.getTime(), claim.claimedAt.getTime() + ctx.policy.leaseMs)), reason };
  };
  switch (attempt.kind) {
    case 'decided': {
      const post = storablePost(attempt.post);
      if (await recordCampaignPost(ctx.db, campaignId, claim.claimedAt, post)) return { kind: 'decided', post };
      // The lease ran out while X was called and another launch job took the claim over: it decides.
      return { kind: 'come-back', at: now, reason: "the claim on the campaign's post was lost" };
    }
    case 'retry': {
      const at = new Date(now.getTime() + attempt.waitMs);
      // Bounded like a delivery's retries: past the window after the launch, the reposts are given up.
      if (at.getTime() > claim.launchStartedAt.getTime() + ctx.policy.retryWindowMs) {
        const post = storablePost({ kind: 'failed', reason: `gave up after ${claim.attempts} attempts: ${attempt.reason}` });
        if (await recordCampaignPost(ctx.db, campaignId, claim.claimedAt, post)) return { kind: 'decided', post };
        return { kind: 'come-back', at: now, reason: "the claim on the campaign's post was lost" };
      }
      return comeBack(at, attempt.reason);
    }
    case 'wait':
      // A cap that resets at a known time is no failure: waiting for it spends no retry window.
      return comeBack(attempt.until, attempt.reason);
    case 'paused': {
      // X is paused for the whole app (its credits ran out): the organiser's dashboard says so, and the
      // post comes back with the network's probes, however long that takes.
      const random = (ctx.random ?? Math.random)();
      const decision = await changeNetworkHold(ctx.db, 'x', (current) => {
        const decided = decideOnPause(
          current,
          { network: 'x', deliveryId: null, answer: attempt.answer },
          now,
          ctx.policy.pauseProbe,
          random,
        );
        return { store: decided.kind === 'joined' ? null : decided.hold, result: decided };
      });
      const ownWait = now.getTime() + backoffDelayMs(claim.attempts, ctx.policy.pauseProbe, random);
      return comeBack(new Date(Math.max(decision.hold.nextProbeAt.getTime(), ownWait)), attempt.answer.reason);
    }
  }
}

type Attempt =
  | { readonly kind: 'decided'; readonly post: Decided }
  /** Not made; try again after `waitMs`, within the retry window. */
  | { readonly kind: 'retry'; readonly waitMs: number; readonly reason: string }
  /** Not made; the account's cap resets at `until`. */
  | { readonly kind: 'wait'; readonly until: Date; readonly reason: string }
  /** Not made: X refuses every post of the app for now. */
  | { readonly kind: 'paused'; readonly answer: NetworkPauseAnswer };

async function postOnce(ctx: CampaignPostContext, x: SocialNetwork, campaignId: string, claim: CampaignPostClaim): Promise<Attempt> {
  const random = (ctx.random ?? Math.random)();
  const backoff = (reason: string): Attempt => ({ kind: 'retry', waitMs: backoffDelayMs(claim.attempts, postBackoff, random), reason });
  const { account } = claim;
  if (account.key_id === null || account.access_token === null || account.access_expires_at === null)
    return { kind: 'decided', post: { kind: 'failed', reason: "the campaign account's access was erased" } };
  const tokens = openSealedTokens(ctx.cipher, {
    key_id: account.key_id,
    access_token: account.access_token,
    refresh_token: account.refresh_token,
    access_expires_at: account.access_expires_at,
    scopes: account.scopes ?? '',
  });

  let accessToken = tokens.accessToken;
  if (tokens.expiresAt.getTime() - EXPIRY_MARGIN_MS <= Date.now()) {
    const renewed = await x.refresh(tokens);
    switch (renewed.kind) {
      case 'revoked':
        return { kind: 'decided', post: { kind: 'failed', reason: renewed.reason } };
      case 'retry-with-backoff':
        return backoff(renewed.reason);
      case 'refreshed':
        accessToken = renewed.tokens.accessToken;
        // A refresh that hands back no new refresh token leaves the old one good: kept, under the current key.
        await storeCampaignAccountGrant(
          ctx.db,
          campaignId,
          claim.claimedAt,
          sealTokens(ctx.cipher, { ...renewed.tokens, refreshToken: renewed.tokens.refreshToken ?? tokens.refreshToken }),
        );
    }
  }

  if (claim.mustCheck) {
    const look = await x.lookForPost(accessToken, account.network_user_id, claim.message, claim.launchStartedAt);
    switch (look.kind) {
      case 'found':
        return { kind: 'decided', post: { kind: 'sent', postId: look.postId } };
      case 'not-found':
        break;
      case 'retry-after':
        return { kind: 'retry', waitMs: look.seconds * 1000 + resetJitterMs(random), reason: look.reason };
      case 'retry-with-backoff':
        return backoff(look.reason);
      case 'network-paused':
        return { kind: 'paused', answer: look.pause };
      case 'failed':
        return { kind: 'decided', post: { kind: 'failed', reason: look.reason } };
    }
  }

  const outcome: PublishOutcome = await x.publish(accessToken, claim.message, {
    idempotencyKey: `chorus-campaign-${campaignId}`,
    account: { networkUserId: account.network_user_id, server: null },
  });
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'decided', post: { kind: 'sent', postId: outcome.postId } };
    case 'failed':
      return { kind: 'decided', post: { kind: 'failed', reason: outcome.reason } };
    case 'unknown-outcome':
      // Posting again could make two: the reposts are given up rather than risk it.
      return {
        kind: 'decided',
        post: { kind: 'failed', reason: `it is not known whether the post was made (${outcome.reason})` },
      };
    case 'already-posted':
      // Unknown outcomes are never retried here, so this is a post the account made itself.
      return {
        kind: 'decided',
        post: {
          kind: 'failed',
          reason: `X refused it as a post this account already made (${outcome.reason}); the campaign needs a new wording`,
        },
      };
    case 'retry-after':
      return { kind: 'retry', waitMs: outcome.seconds * 1000 + resetJitterMs(random), reason: outcome.reason };
    case 'retry-with-backoff':
      return backoff(outcome.reason);
    case 'network-paused':
      return { kind: 'paused', answer: outcome.pause };
    case 'account-capped':
      return { kind: 'wait', until: new Date(outcome.resetsAt.getTime() + resetJitterMs(random)), reason: outcome.reason };
  }
}
