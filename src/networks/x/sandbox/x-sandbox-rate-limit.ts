/** The state of one caller's window, in the units X reports in its `*-limit`, `*-remaining`, `*-reset` headers. */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window starts afresh. */
  resetEpochSeconds: number;
}

interface WindowCounter {
  used: number;
  resetAtMs: number;
}

/**
 * A fixed window per key, as X counts: the window opens at the first request and the
 * count drops to zero when it ends, rather than sliding.
 */
export class FixedWindowLimiter {
  private readonly counters = new Map<string, WindowCounter>();

  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(limit: number, windowMs: number, now: () => number) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** The key's window as it stands, without counting a request. */
  peek(key: string): RateLimitWindow {
    return this.describe(this.current(key));
  }

  /** Counts one request when the window has room; `allowed` says whether it had. */
  take(key: string): RateLimitWindow & { allowed: boolean } {
    const counter = this.current(key);
    const allowed = counter.used < this.limit;
    if (allowed) counter.used += 1;
    return { ...this.describe(counter), allowed };
  }

  private current(key: string): WindowCounter {
    const now = this.now();
    let counter = this.counters.get(key);
    if (counter === undefined || counter.resetAtMs <= now) {
      counter = { used: 0, resetAtMs: now + this.windowMs };
      this.counters.set(key, counter);
    }
    return counter;
  }

  private describe(counter: WindowCounter): RateLimitWindow {
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - counter.used),
      resetEpochSeconds: Math.ceil(counter.resetAtMs / 1000),
    };
  }
}
