import { LRUCache } from 'lru-cache';

/** A read-through cache whose entries live `ttlMs`, loaded by one call at a time per key. */
export interface ShortLivedCache<V> {
  read(key: string): Promise<V | undefined>;
}

/**
 * Keeps what `load` returns for `ttlMs` per key, and lets concurrent readers of a missing key
 * share one load: a campaign shared widely is read far more often than it changes, and a
 * second-old view of it is still live enough. `undefined` (an unknown key) is not kept.
 */
export function createShortLivedCache<V extends object>(
  load: (key: string) => Promise<V | undefined>,
  ttlMs: number,
  maxEntries = 10_000,
): ShortLivedCache<V> {
  const cache = new LRUCache<string, V>({ max: maxEntries, ttl: ttlMs, allowStale: false, fetchMethod: (key) => load(key) });
  return { read: (key) => cache.fetch(key) };
}
