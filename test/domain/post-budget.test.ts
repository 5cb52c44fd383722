import { describe, expect, it } from 'vitest';
import { budgetBucketStart, budgetRenewsAt, budgetWindowStart, type PostBudget } from '../../src/domain/post-budget.ts';

const hour = 3_600_000;
const day: PostBudget = { limit: 17, windowMs: 24 * hour };

describe('posting budget', () => {
  it('counts posts in hourly buckets over a 24-hour window', () => {
    expect(budgetBucketStart(day, new Date('2026-12-01T09:41:17.250Z'))).toEqual(new Date('2026-12-01T09:00:00Z'));
    expect(budgetBucketStart(day, new Date('2026-12-01T09:00:00Z'))).toEqual(new Date('2026-12-01T09:00:00Z'));
    expect(budgetBucketStart(day, new Date('2026-12-01T09:59:59.999Z'))).toEqual(new Date('2026-12-01T09:00:00Z'));
  });

  it('looks back over the 23 buckets before the current one', () => {
    expect(budgetWindowStart(day, new Date('2026-12-01T09:41:00Z'))).toEqual(new Date('2026-11-30T10:00:00Z'));
  });

  it('gives a bucket’s posts back 24 hours after the bucket starts', () => {
    expect(budgetRenewsAt(day, new Date('2026-12-01T09:00:00Z'))).toEqual(new Date('2026-12-02T09:00:00Z'));
  });

  it('drops a bucket from the window at the moment its posts are given back', () => {
    const bucket = new Date('2026-12-01T09:00:00Z');
    const renews = budgetRenewsAt(day, bucket);
    expect(budgetWindowStart(day, new Date(renews.getTime() - 1)).getTime()).toBe(bucket.getTime());
    expect(budgetWindowStart(day, renews).getTime()).toBeGreaterThan(bucket.getTime());
  });

  it('scales its buckets with the window, and never makes them shorter than a millisecond', () => {
    const short: PostBudget = { limit: 5, windowMs: 24_000 };
    expect(budgetBucketStart(short, new Date(12_345))).toEqual(new Date(12_000));
    expect(budgetRenewsAt(short, new Date(12_000))).toEqual(new Date(36_000));
    const tiny: PostBudget = { limit: 5, windowMs: 10 };
    expect(budgetBucketStart(tiny, new Date(7))).toEqual(new Date(7));
    expect(budgetRenewsAt(tiny, new Date(7))).toEqual(new Date(31));
  });
});
