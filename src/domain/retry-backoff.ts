/** How soon to try again after the n-th problem in a row. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Exponential backoff for posts: 2 s, 4 s, 8 s … up to 5 minutes. */
export const postBackoff: BackoffPolicy = { baseMs: 2000, capMs: 5 * 60 * 1000 };

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half random, so
 * retries of many deliveries that failed together spread out instead of arriving together.
 * `random` is in [0, 1).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(step / 2 + (step / 2) * random);
}

/** Extra wait after a rate limit's reset (up to a second), so that waiting posts do not all return in the same instant. */
export function resetJitterMs(random: number): number {
  return Math.round(250 + 750 * random);
}
