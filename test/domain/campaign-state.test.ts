import { describe, expect, it } from 'vitest';
import {
  campaignStates,
  campaignStatesMovingTo,
  canMoveCampaign,
  editableCampaignStates,
  hasLaunchStarted,
  isCampaignEditable,
  isCampaignEnded,
  type CampaignState,
} from '../../src/domain/campaign-state.ts';

// The whole table, written out: every pair not listed here must be refused.
const allowed: ReadonlySet<string> = new Set([
  'draft→collecting',
  'draft→cancelled',
  'collecting→launching',
  'collecting→missed_goal',
  'collecting→cancelled',
  'launching→launched',
]);

describe('campaign state', () => {
  it('allows exactly the moves of a campaign’s life, and refuses every other pair', () => {
    const pairs = campaignStates.flatMap((from) => campaignStates.map((to) => [from, to] as const));
    expect(pairs).toHaveLength(36);
    for (const [from, to] of pairs) {
      expect(canMoveCampaign(from, to), `${from}→${to}`).toBe(allowed.has(`${from}→${to}`));
    }
  });

  it('never lets a campaign stay put, go back, or skip its launch', () => {
    for (const state of campaignStates) expect(canMoveCampaign(state, state)).toBe(false);
    expect(canMoveCampaign('collecting', 'draft')).toBe(false);
    expect(canMoveCampaign('launched', 'launching')).toBe(false);
    expect(canMoveCampaign('collecting', 'launched')).toBe(false);
    expect(canMoveCampaign('draft', 'launching')).toBe(false);
  });

  it('cannot cancel a campaign once its launch has started', () => {
    expect(canMoveCampaign('launching', 'cancelled')).toBe(false);
    expect(canMoveCampaign('launched', 'cancelled')).toBe(false);
  });

  it('names the states each state is reached from', () => {
    const expected: Record<CampaignState, readonly CampaignState[]> = {
      draft: [],
      collecting: ['draft'],
      launching: ['collecting'],
      launched: ['launching'],
      missed_goal: ['collecting'],
      cancelled: ['draft', 'collecting'],
    };
    for (const to of campaignStates) expect(campaignStatesMovingTo(to), to).toEqual(expected[to]);
  });

  it('lets the organiser edit a campaign only before its launch starts', () => {
    expect(campaignStates.filter(isCampaignEditable)).toEqual(['draft', 'collecting']);
    expect(editableCampaignStates).toEqual(['draft', 'collecting']);
    expect(isCampaignEditable('launching')).toBe(false);
    expect(isCampaignEditable('launched')).toBe(false);
  });

  it('has ended once launched, missed its goal or cancelled, and not before', () => {
    expect(campaignStates.filter(isCampaignEnded)).toEqual(['launched', 'missed_goal', 'cancelled']);
    expect(isCampaignEnded('launching')).toBe(false);
  });

  it('counts deliveries only once the launch has started', () => {
    expect(campaignStates.filter(hasLaunchStarted)).toEqual(['launching', 'launched']);
    expect(hasLaunchStarted('missed_goal')).toBe(false);
  });

  it('puts every state in exactly one phase: editable, launching, or ended without a launch', () => {
    for (const state of campaignStates) {
      const phases = [isCampaignEditable(state), hasLaunchStarted(state), isCampaignEnded(state) && !hasLaunchStarted(state)];
      expect(phases.filter(Boolean), state).toHaveLength(1);
    }
  });
});
