import { backoffDelayMs, type BackoffPolicy } from './retry-backoff.ts';

/** What one request to an endpoint came to. */
export type WebhookAttemptResult =
  /** A 2xx answer: delivered. */
  | { readonly kind: 'accepted'; readonly status: number; readonly excerpt: string }
  /** Any other answer (a redirect too: none is followed). */
  | { readonly kind: 'rejected'; readonly status: number; readonly excerpt: string }
  /** No answer: the connection failed or the time ran out. */
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** The outbound guard refused the address (inside the network): nothing was sent, and nothing would be later. */
  | { readonly kind: 'refused'; readonly reason: string };

/** What becomes of a delivery after an attempt. */
export type WebhookDeliveryDecision =
  { readonly state: 'sent' } | { readonly state: 'failed' } | { readonly state: 'pending'; readonly nextAttemptAt: Date };

/** How long a webhook is retried, and how quickly. */
export interface WebhookRetryPolicy {
  /** Retries stop this long after the delivery was created; its last attempt is made at this deadline at the latest. */
  readonly windowMs: number;
  readonly backoff: BackoffPolicy;
}

/** The longest wait between two attempts: the 24 hours still get several late attempts. */
export const WEBHOOK_BACKOFF_CAP_MS = 6 * 60 * 60 * 1000;

/**
 * Decides a delivery's next state after its `attempt`-th attempt: delivered on a 2xx, failed at once when the guard
 * refused the address, otherwise tried again after an exponential backoff until the window since `createdAt` is
 * spent (the last attempt falls on the deadline itself). `random` in [0, 1) spreads retries that failed together.
 */
export function decideAfterAttempt(
  result: WebhookAttemptResult,
  attempt: number,
  createdAt: Date,
  now: Date,
  policy: WebhookRetryPolicy,
  random: number,
): WebhookDeliveryDecision {
  switch (result.kind) {
    case 'accepted':
      return { state: 'sent' };
    case 'refused':
      return { state: 'failed' };
    case 'rejected':
    case 'unreachable': {
      const deadline = createdAt.getTime() + policy.windowMs;
      if (now.getTime() >= deadline) return { state: 'failed' };
      const next = Math.min(now.getTime() + backoffDelayMs(attempt, policy.backoff, random), deadline);
      return { state: 'pending', nextAttemptAt: new Date(next) };
    }
  }
}

/** A webhook delivery's states: waiting for its next attempt, delivered, or given up. */
export const webhookDeliveryStates = ['pending', 'sent', 'failed'] as const;

/** A webhook delivery's state. */
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];
