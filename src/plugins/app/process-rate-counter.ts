import { LRUCache } from 'lru-cache';

/** One subject's window: how many requests it holds so far, and when it ends (ms since the epoch). */
export interface CountedWindow {
  readonly count: number;
  readonly endsAt: number;
}

/**
 * Fixed-window request counts kept in this process's memory, for the limits that need not be shared
 * (rate-limit-table.ts, `store: 'process'`): no round trip, a few microseconds per request. The map
 * holds `maxSubjects` windows and forgets the least recently counted first, so a client that drops out
 * of it starts again from nothing: these limits only need to stop one client hammering.
 */
export function createProcessRateCounter(maxSubjects = 20_000) {
  const windows = new LRUCache<string, { count: number; endsAt: number }>({ max: maxSubjects });
  return {
    /** Counts one request for `key` in a window of `windowMs`, and answers that window. */
    count(key: string, windowMs: number, now = Date.now()): CountedWindow {
      const current = windows.get(key);
      if (current === undefined || current.endsAt <= now) {
        const fresh = { count: 1, endsAt: now + windowMs };
        windows.set(key, fresh);
        return fresh;
      }
      current.count++;
      return current;
    },
  };
}
