/** A request over one of the rate limits: answered 429 with `Retry-After` (JSON for the API, a page for browsers). */
export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  /** Seconds until the limit's window ends and the request may be tried again. */
  readonly retryAfterSeconds: number;
  /** What was counted ("sign-in attempts for this account"). */
  readonly counts: string;
  constructor(counts: string, retryAfterSeconds: number) {
    super(`too many ${counts}; try again in ${waitPhrase(retryAfterSeconds)}`);
    this.counts = counts;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** "40 seconds", "1 minute", "15 minutes": how long to wait, rounded up, as a person reads it. */
export function waitPhrase(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${Math.max(1, seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
