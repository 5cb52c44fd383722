import { describe, expect, it } from 'vitest';
import { campaignPhase, isPhaseOpen } from '../../src/domain/campaign-phase.ts';

const tally = { sent: 3, failed: 1, waiting: 2 };

describe("a campaign's phase on its public page", () => {
  it('tells collecting from goal reached, and both take supporters', () => {
    const collecting = campaignPhase({ state: 'collecting', supporter_count: 40, goal: 100 }, null);
    expect(collecting).toEqual({ kind: 'collecting', stillNeeded: 60 });
    const reached = campaignPhase({ state: 'collecting', supporter_count: 189, goal: 100 }, null);
    expect(reached).toEqual({ kind: 'goal-reached' });
    expect([collecting, reached].map(isPhaseOpen)).toEqual([true, true]);
  });

  it('carries the posts so far once launching, and takes no one after the launch or an end', () => {
    expect(campaignPhase({ state: 'launching', supporter_count: 5, goal: 5 }, tally)).toEqual({ kind: 'launching', tally });
    expect(campaignPhase({ state: 'launched', supporter_count: 5, goal: 5 }, tally)).toEqual({ kind: 'launched', tally });
    const ended = [
      campaignPhase({ state: 'launched', supporter_count: 5, goal: 5 }, tally),
      campaignPhase({ state: 'missed_goal', supporter_count: 1, goal: 5 }, null),
      campaignPhase({ state: 'cancelled', supporter_count: 9, goal: 5 }, null),
      campaignPhase({ state: 'draft', supporter_count: 0, goal: 5 }, null),
    ];
    expect(ended.map((p) => p.kind)).toEqual(['launched', 'missed-goal', 'cancelled', 'draft']);
    expect(ended.map(isPhaseOpen)).toEqual([false, false, false, false]);
  });
});
