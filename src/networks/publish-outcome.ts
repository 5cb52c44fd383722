import type { NetworkPauseAnswer } from '../domain/network-pause.ts';

/**
 * What came of asking a network to publish a post. The worker switches on `kind`, and the
 * compiler checks that every outcome is handled.
 */
export type PublishOutcome =
  | { readonly kind: 'sent'; readonly postId: string }
  /** The network said when to come back (a rate limit). */
  | { readonly kind: 'retry-after'; readonly seconds: number; readonly reason: string }
  /** Nothing was posted (the request never reached the network); try again later. */
  | { readonly kind: 'retry-with-backoff'; readonly reason: string }
  /** The request may have been posted (a time-out or 5xx after sending): never retry blindly. */
  | { readonly kind: 'unknown-outcome'; readonly reason: string }
  /** The network refused it as a post this account already made: look for that post. */
  | { readonly kind: 'already-posted'; readonly reason: string }
  /**
   * The network refuses every post of this Chorus for now (X: the app's credits ran out, or its
   * 24-hour cap is spent). Nothing was posted, and no other post on the network would go out either:
   * the network is paused, not this pledge failed.
   */
  | { readonly kind: 'network-paused'; readonly pause: NetworkPauseAnswer }
  /** This account's own posting cap is spent until `resetsAt` (X's 24-hour user cap): nothing was posted; it waits for the reset. */
  | { readonly kind: 'account-capped'; readonly resetsAt: Date; readonly reason: string }
  /** It will not work however often it is tried; the reason is for a person to read. */
  | { readonly kind: 'failed'; readonly reason: string };
