import { describe, expect, it } from 'vitest';
import {
  decideAfterAttempt,
  WEBHOOK_BACKOFF_CAP_MS,
  type WebhookAttemptResult,
  type WebhookRetryPolicy,
} from '../../src/domain/webhook-attempt.ts';

const hour = 3600_000;
const policy: WebhookRetryPolicy = { windowMs: 24 * hour, backoff: { baseMs: 30_000, capMs: WEBHOOK_BACKOFF_CAP_MS } };
const created = new Date('2026-12-02T06:00:00Z');
const at = (ms: number) => new Date(created.getTime() + ms);
const rejected: WebhookAttemptResult = { kind: 'rejected', status: 500, excerpt: '' };

describe('what becomes of a webhook delivery after an attempt', () => {
  it('is sent on a 2xx, and failed at once when the guard refused the address', () => {
    expect(decideAfterAttempt({ kind: 'accepted', status: 204, excerpt: '' }, 1, created, created, policy, 0.5)).toEqual({ state: 'sent' });
    expect(decideAfterAttempt({ kind: 'refused', reason: 'inside' }, 1, created, created, policy, 0.5)).toEqual({ state: 'failed' });
  });

  it('is tried again after any other answer or none, with a doubling wait', () => {
    for (const result of [
      rejected,
      { kind: 'rejected', status: 301, excerpt: '' },
      { kind: 'unreachable', reason: 'timed out' },
    ] as const) {
      const decision = decideAfterAttempt(result, 1, created, created, policy, 0);
      expect(decision).toEqual({ state: 'pending', nextAttemptAt: at(15_000) });
    }
    // Equal jitter: half the step fixed, half random.
    expect(decideAfterAttempt(rejected, 3, created, created, policy, 0.999)).toMatchObject({ nextAttemptAt: at(119_940) });
  });

  it('keeps trying for 24 hours, the last attempt on the deadline, then fails', () => {
    let now = created;
    let attempt = 1;
    const attempts: Date[] = [now];
    for (;;) {
      const decision = decideAfterAttempt(rejected, attempt, created, now, policy, 0.5);
      if (decision.state !== 'pending') {
        expect(decision.state).toBe('failed');
        break;
      }
      expect(decision.nextAttemptAt.getTime() - now.getTime()).toBeLessThanOrEqual(WEBHOOK_BACKOFF_CAP_MS);
      now = decision.nextAttemptAt;
      attempt += 1;
      attempts.push(now);
    }
    expect(attempts.at(-1)).toEqual(at(24 * hour));
    // From 30 s (at the middle of its jitter, 22.5 s), doubling up to 6 hours: 15 attempts in the day.
    expect(attempts).toHaveLength(15);
  });
});
