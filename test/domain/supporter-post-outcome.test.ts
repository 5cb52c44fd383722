import { describe, expect, it } from 'vitest';
import { supporterPostOutcome } from '../../src/domain/supporter-post-outcome.ts';

const delivery = (state: 'queued' | 'held' | 'claimed' | 'unknown' | 'sent' | 'failed', extra = {}) => ({
  state,
  postId: null,
  failureReason: null,
  ...extra,
});

describe("what became of a supporter's post, as their private page says it", () => {
  it('will go out only while the campaign collects; after the launch it went out, or it did not, with the reason', () => {
    expect(supporterPostOutcome('active', 'collecting', null)).toEqual({ kind: 'waiting-for-launch' });
    expect(supporterPostOutcome('active', 'launching', null)).toEqual({ kind: 'posting' });
    expect(supporterPostOutcome('active', 'launching', delivery('held'))).toEqual({ kind: 'posting' });
    expect(supporterPostOutcome('active', 'launched', delivery('sent', { postId: '19' }))).toEqual({ kind: 'sent', postId: '19' });
    expect(supporterPostOutcome('active', 'launched', delivery('failed', { failureReason: 'the account was suspended' }))).toEqual({
      kind: 'failed',
      reason: 'the account was suspended',
    });
    expect(supporterPostOutcome('active', 'launched', delivery('unknown')).kind).toBe('failed');
  });

  it('says nothing was posted when the goal was missed, the campaign was cancelled, or the pledge withdrawn', () => {
    expect(supporterPostOutcome('active', 'missed_goal', null)).toEqual({ kind: 'goal-missed' });
    expect(supporterPostOutcome('active', 'cancelled', null)).toEqual({ kind: 'cancelled' });
    expect(supporterPostOutcome('withdrawn', 'launched', null)).toEqual({ kind: 'withdrawn' });
  });
});
