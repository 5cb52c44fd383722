import type { NetworkPauseAnswer } from '../domain/network-pause.ts';

/**
 * What came of looking at an account for a post that may have gone out (after a time-out, a
 * 5xx, a dropped connection or a worker that died mid-request). The worker switches on `kind`.
 */
export type PostLookupOutcome =
  | { readonly kind: 'found'; readonly postId: string }
  /** Not there: posting now cannot make a duplicate. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'retry-after'; readonly seconds: number; readonly reason: string }
  | { readonly kind: 'retry-with-backoff'; readonly reason: string }
  /** The network refuses every request of this Chorus for now (X: the app's credits ran out): nothing could be read. */
  | { readonly kind: 'network-paused'; readonly pause: NetworkPauseAnswer }
  /** The account cannot be read any more (access revoked): nothing can be confirmed or posted. */
  | { readonly kind: 'failed'; readonly reason: string };
