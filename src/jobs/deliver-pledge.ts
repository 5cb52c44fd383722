import { backoffDelayMs, postBackoff, resetJitterMs } from '../domain/retry-backoff.ts';
import type { PostBudget } from '../domain/post-budget.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { SocialNetwork } from '../networks/social-network.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from '../storage/database.ts';
import type { ClaimedDelivery, DeliveryRecord } from '../storage/delivery.repository.ts';
import { returnPost } from '../storage/post-budget.repository.ts';
import { createDeliveryStore, type DeliveryStore } from './delivery-store.ts';
import { obtainAccessToken } from './obtain-access-token.ts';
import { publishDelivery } from './publish-delivery.ts';

/** The rules a delivery follows, from configuration. */
export interface DeliveryPolicy {
  /** How long a claim holds a delivery; a publish is only started with its whole time-out left in it. */
  readonly leaseMs: number;
  /** Retries stop this long after the first problem. */
  readonly retryWindowMs: number;
  /** The app's posting budget per network, where one is configured. */
  readonly budgets: ReadonlyMap<NetworkId, PostBudget>;
}

export interface DeliveryContext {
  readonly db: Db;
  /** Where claims, reservations and outcomes are written; batched in the worker. */
  readonly store?: DeliveryStore;
  readonly cipher: TokenCipher;
  readonly networks: ReadonlyMap<NetworkId, SocialNetwork>;
  readonly policy: DeliveryPolicy;
  /** Jitter source in [0, 1); tests may pin it. */
  readonly random?: () => number;
  /**
   * Runs one call to the network within the process's limit of calls in flight. Only the calls
   * are limited: claims, reservations and outcomes go on beside them, so the limit stays full.
   */
  readonly onTheWire?: <T>(call: () => Promise<T>) => Promise<T>;
}

/** What one delivery job did; the worker brings the job back at `until` or `nextAttemptAt`. */
export type DeliveryStep =
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'busy'; readonly until: Date }
  /** The lease ran out while this worker was busy, and another worker took the delivery over. */
  | { readonly kind: 'claim-lost' }
  | { readonly kind: 'done'; readonly record: DeliveryRecord };

// Time kept in hand between the end of a publish's time-out and the end of the lease.
const leaseSafetyMs = 2000;

/**
 * Posts one pledge at most once. The delivery is claimed in Postgres under a lease before the
 * network is called, and the outcome is written back by that claim only. A delivery that may
 * already have been posted (an unknown outcome, or a claim whose worker died) is looked for on
 * the account before anything is posted again.
 */
export async function deliverPledge(ctx: DeliveryContext, deliveryId: string): Promise<DeliveryStep> {
  const store = ctx.store ?? createDeliveryStore(ctx.db, { leaseMs: ctx.policy.leaseMs });
  const claim = await store.claim(deliveryId);
  switch (claim.kind) {
    case 'finished':
      return { kind: 'already-handled' };
    case 'busy':
      return claim;
    case 'claimed':
      break;
  }
  const delivery = claim.delivery;
  const record = await attemptDelivery(ctx, store, delivery);
  if (!(await store.record(delivery, record))) return { kind: 'claim-lost' };
  if (record.state === 'sent' || record.state === 'failed') await store.completeLaunch(delivery.campaignId);
  return { kind: 'done', record };
}

async function attemptDelivery(ctx: DeliveryContext, store: DeliveryStore, delivery: ClaimedDelivery): Promise<DeliveryRecord> {
  const later = retryScheduler(ctx, delivery);
  const network = ctx.networks.get(delivery.network);
  if (network === undefined) return { state: 'failed', reason: `${delivery.network} is not configured on this Chorus` };

  // The grant came with the claim, in the same statement.
  const token = await obtainAccessToken(
    { ...ctx, readCredentials: () => Promise.resolve(delivery.credentials) },
    delivery.pledgeId,
    network,
  );
  switch (token.kind) {
    case 'missing':
      return { state: 'failed', reason: "the supporter's access was already erased" };
    case 'revoked':
      return { state: 'failed', reason: token.reason };
    case 'retry-with-backoff':
      return later.backoff(token.reason);
    case 'token':
      break;
  }

  const onTheWire = ctx.onTheWire ?? ((call) => call());
  if (delivery.mustCheck) {
    const look = await onTheWire(() => network.lookForPost(token.accessToken, delivery.networkUserId, delivery.text, delivery.createdAt));
    switch (look.kind) {
      case 'found':
        return { state: 'sent', postId: look.postId };
      case 'not-found':
        break;
      case 'retry-after':
        return later.at(look.seconds, look.reason);
      case 'retry-with-backoff':
        return later.backoff(look.reason);
      case 'failed':
        return { state: 'failed', reason: look.reason };
    }
  }

  const budget = ctx.policy.budgets.get(delivery.network);
  let bucketStart: Date | undefined;
  if (budget !== undefined) {
    const reservation = await store.reserve(delivery.network, budget);
    switch (reservation.kind) {
      case 'exhausted':
        return { state: 'held', nextAttemptAt: new Date(reservation.renewsAt.getTime() + resetJitterMs(random(ctx))) };
      case 'reserved':
        bucketStart = reservation.bucketStart;
        break;
    }
  }
  const giveBack = async () => {
    if (bucketStart !== undefined) await returnPost(ctx.db, delivery.network, bucketStart);
  };

  const outcome = await onTheWire(async (): Promise<PublishOutcome | { readonly kind: 'claim-ran-short' }> => {
    // A publish that could outlast the claim might run while another worker checks and posts;
    // checked once this post's turn on the wire has come, just before it is sent.
    if (Date.now() + network.requestTimeoutMs + leaseSafetyMs > delivery.leaseExpiresAt.getTime()) return { kind: 'claim-ran-short' };
    return publishDelivery(ctx, network, token.accessToken, delivery);
  });
  switch (outcome.kind) {
    case 'claim-ran-short':
      await giveBack();
      return later.now('the claim ran short before the post could be sent');
    case 'sent':
      return { state: 'sent', postId: outcome.postId };
    case 'failed':
      await giveBack();
      return { state: 'failed', reason: outcome.reason };
    case 'retry-after':
      await giveBack();
      return later.at(outcome.seconds, outcome.reason);
    case 'retry-with-backoff':
      await giveBack();
      return later.backoff(outcome.reason);
    case 'unknown-outcome':
      // Posting again could post twice: it is looked for first, after a pause for X to show it.
      return later.unknown(outcome.reason);
    case 'already-posted': {
      // X says this account already posted the text: an earlier attempt went out. Find it.
      await giveBack();
      const look = await onTheWire(() => network.lookForPost(token.accessToken, delivery.networkUserId, delivery.text, delivery.createdAt));
      switch (look.kind) {
        case 'found':
          return { state: 'sent', postId: look.postId };
        case 'not-found':
          return { state: 'failed', reason: `${outcome.reason} (and no such post was found since the launch)` };
        case 'retry-after':
        case 'retry-with-backoff':
          return later.unknown(look.reason);
        case 'failed':
          return { state: 'failed', reason: look.reason };
      }
    }
  }
}

function random(ctx: DeliveryContext): number {
  return (ctx.random ?? Math.random)();
}

/**
 * Builds the "try again later" records for one claim. Every retry is bounded: once the next
 * attempt would fall after the deadline (set at the first problem), the delivery fails with
 * the last reason instead.
 */
function retryScheduler(ctx: DeliveryContext, delivery: ClaimedDelivery) {
  const now = Date.now();
  const deadline = delivery.retryDeadline ?? new Date(now + ctx.policy.retryWindowMs);
  const schedule = (state: 'queued' | 'unknown', waitMs: number, reason: string): DeliveryRecord => {
    const nextAttemptAt = new Date(now + waitMs);
    if (nextAttemptAt > deadline) {
      const spent = Math.round((now - (deadline.getTime() - ctx.policy.retryWindowMs)) / 60_000);
      return state === 'unknown'
        ? { state: 'failed', reason: `whether the post went out could not be confirmed within ${spent} min: ${reason}` }
        : { state: 'failed', reason: `gave up after ${delivery.attempts} attempts over ${spent} min: ${reason}` };
    }
    // An earlier attempt that may have gone out keeps the delivery unknown until it is looked for.
    return { state: delivery.mustCheck ? 'unknown' : state, reason, nextAttemptAt, retryDeadline: deadline };
  };
  return {
    backoff: (reason: string) => schedule('queued', backoffDelayMs(delivery.attempts, postBackoff, random(ctx)), reason),
    at: (seconds: number, reason: string) => schedule('queued', seconds * 1000 + resetJitterMs(random(ctx)), reason),
    unknown: (reason: string) => schedule('unknown', backoffDelayMs(delivery.attempts, postBackoff, random(ctx)), reason),
    now: (reason: string): DeliveryRecord => ({
      state: delivery.mustCheck ? 'unknown' : 'queued',
      reason,
      nextAttemptAt: new Date(now),
      retryDeadline: delivery.retryDeadline,
    }),
  };
}
