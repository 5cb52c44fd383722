import { describe, expect, it } from 'vitest';
import { backoffDelayMs, postBackoff, resetJitterMs } from '../../src/domain/retry-backoff.ts';

describe('retry backoff for posts', () => {
  it('waits 2 s, 4 s, 8 s … at most, doubling with each problem in a row', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, postBackoff, 0.999999))).toEqual([2000, 4000, 8000, 16000, 32000]);
  });

  it('always waits at least half of the step, however the jitter falls', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, postBackoff, 0))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffDelayMs(3, postBackoff, 0.5)).toBe(6000);
  });

  it('grows from one attempt to the next until it reaches its cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, postBackoff, 0.5));
    for (let i = 1; i < delays.length; i++) {
      const [before, after] = [delays[i - 1] ?? 0, delays[i] ?? 0];
      if (before < 225_000) expect(after).toBeGreaterThan(before);
      else expect(after).toBe(before);
    }
    expect(delays.at(-1)).toBe(225_000);
  });

  it('never exceeds its cap of 5 minutes, even after very many attempts', () => {
    expect(postBackoff.capMs).toBe(300_000);
    // 2 s × 2^7 = 256 s is the last step under the cap; from the ninth attempt on, the cap holds.
    expect(backoffDelayMs(8, postBackoff, 0)).toBe(128_000);
    for (const attempt of [9, 20, 31, 32, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelayMs(attempt, postBackoff, 0.999999)).toBeLessThanOrEqual(300_000);
      expect(backoffDelayMs(attempt, postBackoff, 0)).toBe(150_000);
    }
  });

  it('treats a zeroth or negative attempt as the first', () => {
    expect(backoffDelayMs(0, postBackoff, 0)).toBe(1000);
    expect(backoffDelayMs(-3, postBackoff, 0)).toBe(1000);
  });

  it('follows a policy of its own base and cap', () => {
    const policy = { baseMs: 100, capMs: 350 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, policy, 0))).toEqual([50, 100, 175, 175]);
  });

  it('spreads returns after a rate limit reset over a quarter second to a second', () => {
    expect(resetJitterMs(0)).toBe(250);
    expect(resetJitterMs(0.5)).toBe(625);
    expect(resetJitterMs(0.999999)).toBe(1000);
  });
});
