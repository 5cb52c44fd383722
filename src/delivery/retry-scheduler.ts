import { backoffDelayMs, postBackoff, resetJitterMs } from '../domain/retry-backoff.ts';
import type { ClaimedDelivery, DeliveryRecord } from '../storage/delivery.repository.ts';
import type { DeliveryPolicy } from './delivery-policy.ts';

/** The "try again later" records of one claim, each bounded by the retry deadline. */
export interface RetryScheduler {
  /** After a problem of the network's or the token endpoint's: exponential backoff. */
  backoff(reason: string): DeliveryRecord;
  /** After a rate limit: when it resets, with a little jitter. */
  at(seconds: number, reason: string): DeliveryRecord;
  /** The post may have gone out: look for it after a pause, before posting again. */
  unknown(reason: string): DeliveryRecord;
  /** At once, with no attempt spent (the claim ran short before the post was sent). */
  now(reason: string): DeliveryRecord;
}

/**
 * Builds the "try again later" records for one claim. Every retry is bounded: once the next
 * attempt would fall after the deadline (set at the first problem), the delivery fails with
 * the last reason instead. `random` is the jitter source, in [0, 1).
 */
export function retryScheduler(
  policy: Pick<DeliveryPolicy, 'retryWindowMs'>,
  delivery: ClaimedDelivery,
  random: () => number,
): RetryScheduler {
  const now = Date.now();
  const deadline = delivery.retryDeadline ?? new Date(now + policy.retryWindowMs);
  const schedule = (state: 'queued' | 'unknown', waitMs: number, reason: string): DeliveryRecord => {
    const nextAttemptAt = new Date(now + waitMs);
    if (nextAttemptAt > deadline) {
      const spent = Math.round((now - (deadline.getTime() - policy.retryWindowMs)) / 60_000);
      return state === 'unknown'
        ? { state: 'failed', reason: `whether the post went out could not be confirmed within ${spent} min: ${reason}` }
        : { state: 'failed', reason: `gave up after ${delivery.attempts} attempts over ${spent} min: ${reason}` };
    }
    // An earlier attempt that may have gone out keeps the delivery unknown until it is looked for.
    return { state: delivery.mustCheck ? 'unknown' : state, reason, nextAttemptAt, retryDeadline: deadline };
  };
  return {
    backoff: (reason) => schedule('queued', backoffDelayMs(delivery.attempts, postBackoff, random()), reason),
    at: (seconds, reason) => schedule('queued', seconds * 1000 + resetJitterMs(random()), reason),
    unknown: (reason) => schedule('unknown', backoffDelayMs(delivery.attempts, postBackoff, random()), reason),
    now: (reason) => ({
      state: delivery.mustCheck ? 'unknown' : 'queued',
      reason,
      nextAttemptAt: new Date(now),
      retryDeadline: delivery.retryDeadline,
    }),
  };
}
