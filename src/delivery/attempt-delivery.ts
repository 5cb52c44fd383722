import type { NetworkPauseAnswer } from '../domain/network-pause.ts';
import { resetJitterMs } from '../domain/retry-backoff.ts';
import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { ClaimedDelivery, DeliveryRecord } from '../storage/delivery.repository.ts';
import { createCampaignPostReader } from './campaign-post-reader.ts';
import type { DeliveryContext } from './deliver-pledge.ts';
import type { DeliveryStore } from './delivery-store.ts';
import { decideOnPause, type PauseDecision } from './network-pause-decision.ts';
import { obtainAccessToken } from './obtain-access-token.ts';
import { publishDelivery } from './publish-delivery.ts';
import { retryScheduler } from './retry-scheduler.ts';

// Time kept in hand between the end of a publish's time-out and the end of the lease.
const leaseSafetyMs = 2000;

/** What one attempt came to: the record to write back, and what it did to its network's pause, if it met one. */
export interface DeliveryAttempt {
  readonly record: DeliveryRecord;
  readonly pause?: PauseDecision;
}

/**
 * Makes one claimed delivery's attempt and says what became of it: the token, a look at the
 * account where a post may already have gone out, the app's budget, the post itself, and the
 * record to write back (sent, failed, or when to come back and why). An answer that pauses the
 * whole network (X's credits ran out) holds the delivery instead of failing it, as the network's
 * probe or waiting for the probe.
 */
export async function attemptDelivery(ctx: DeliveryContext, store: DeliveryStore, delivery: ClaimedDelivery): Promise<DeliveryAttempt> {
  const later = retryScheduler(ctx.policy, delivery, () => random(ctx));
  const network = await ctx.networks.load(delivery.network);
  if (network === undefined) return { record: { state: 'failed', reason: `${delivery.network} is not configured on this Chorus` } };
  const done = (record: DeliveryRecord): DeliveryAttempt => ({ record });
  const pause = async (answer: NetworkPauseAnswer): Promise<DeliveryAttempt> => {
    const decision = await store.changePause(delivery.network, (current) => {
      const decided = decideOnPause(
        current,
        { network: delivery.network, deliveryId: delivery.id, answer },
        new Date(),
        ctx.policy.pauseProbe,
        random(ctx),
      );
      return { store: decided.kind === 'joined' ? null : decided.hold, result: decided };
    });
    switch (decision.kind) {
      case 'started':
      case 'extended':
        // This delivery is the probe: its own job brings it back when the probe is due.
        return { record: { state: 'held', nextAttemptAt: decision.hold.nextProbeAt }, pause: decision };
      case 'joined':
        return { record: { state: 'held', nextAttemptAt: null }, pause: decision };
    }
  };

  // The grant came with the claim, in the same statement.
  const token = await obtainAccessToken(
    { ...ctx, readCredentials: () => Promise.resolve(delivery.credentials) },
    delivery.pledgeId,
    network,
  );
  switch (token.kind) {
    case 'missing':
      return done({
        state: 'failed',
        reason:
          delivery.accessRefusedReason === null
            ? "the supporter's access was already erased"
            : `${delivery.accessRefusedReason}, and they did not authorise again before the launch`,
      });
    case 'revoked':
      return done({ state: 'failed', reason: token.reason });
    case 'retry-with-backoff':
      return done(later.backoff(token.reason));
    case 'token':
      break;
  }

  const onTheWire = ctx.onTheWire ?? ((call) => call());
  if (delivery.mustCheck) {
    const look = await onTheWire(() => network.lookForPost(token.accessToken, delivery.networkUserId, delivery.text, delivery.createdAt));
    switch (look.kind) {
      case 'found':
        return done({ state: 'sent', postId: look.postId });
      case 'not-found':
        break;
      case 'retry-after':
        return done(later.at(look.seconds, look.reason));
      case 'retry-with-backoff':
        return done(later.backoff(look.reason));
      case 'network-paused':
        return pause(look.pause);
      case 'failed':
        return done({ state: 'failed', reason: look.reason });
    }
  }

  const budget = ctx.policy.budgets.get(delivery.network);
  let bucketStart: Date | undefined;
  if (budget !== undefined) {
    const reservation = await store.reserve(delivery.network, budget);
    switch (reservation.kind) {
      case 'exhausted':
        return done({ state: 'held', nextAttemptAt: new Date(reservation.renewsAt.getTime() + resetJitterMs(random(ctx))) });
      case 'reserved':
        bucketStart = reservation.bucketStart;
        break;
    }
  }
  // The post reserved from the budget goes back whenever the network certainly did not publish it.
  const giveBack = async () => {
    if (bucketStart !== undefined) await store.giveBack(delivery.network, bucketStart);
  };

  const outcome = await onTheWire(async (): Promise<PublishOutcome | { readonly kind: 'claim-ran-short' }> => {
    // A publish that could outlast the claim might run while another worker checks and posts;
    // checked once this post's turn on the wire has come, just before it is sent.
    if (Date.now() + network.requestTimeoutMs + leaseSafetyMs > delivery.leaseExpiresAt.getTime()) return { kind: 'claim-ran-short' };
    return publishDelivery(ctx.campaignPosts ?? createCampaignPostReader(ctx.db), network, token.accessToken, delivery);
  });
  switch (outcome.kind) {
    case 'claim-ran-short':
      await giveBack();
      return done(later.now('the claim ran short before the post could be sent'));
    case 'sent':
      return done({ state: 'sent', postId: outcome.postId });
    case 'failed':
      await giveBack();
      return done({ state: 'failed', reason: outcome.reason });
    case 'retry-after':
      await giveBack();
      return done(later.at(outcome.seconds, outcome.reason));
    case 'retry-with-backoff':
      await giveBack();
      return done(later.backoff(outcome.reason));
    case 'network-paused':
      await giveBack();
      return pause(outcome.pause);
    case 'account-capped':
      // The account's own cap resets at a known time: waiting for it is no failure, and spends no retry window.
      await giveBack();
      return done({
        state: 'held',
        nextAttemptAt: new Date(Math.max(Date.now(), outcome.resetsAt.getTime()) + resetJitterMs(random(ctx))),
      });
    case 'unknown-outcome':
      // Posting again could post twice: it is looked for first, after a pause for X to show it.
      return done(later.unknown(outcome.reason));
    case 'already-posted': {
      // X says this account already posted the text: an earlier attempt went out. Find it.
      await giveBack();
      const look = await onTheWire(() => network.lookForPost(token.accessToken, delivery.networkUserId, delivery.text, delivery.createdAt));
      switch (look.kind) {
        case 'found':
          return done({ state: 'sent', postId: look.postId });
        case 'not-found':
          return done({ state: 'failed', reason: `${outcome.reason} (and no such post was found since the launch)` });
        case 'retry-after':
        case 'retry-with-backoff':
        case 'network-paused':
          // The earlier post is there to be found: it stays unknown, looked for before anything is posted.
          return done(later.unknown(look.kind === 'network-paused' ? look.pause.reason : look.reason));
        case 'failed':
          return done({ state: 'failed', reason: look.reason });
      }
    }
  }
}

function random(ctx: DeliveryContext): number {
  return (ctx.random ?? Math.random)();
}
