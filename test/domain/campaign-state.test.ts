import { describe, expect, it } from 'vitest';
import {
  campaignStates,
  campaignStatesMovingTo,
  canMoveCampaign,
  editableCampaignStates,
  hasLaunchStarted,
  isCampaignEditable,
  isCampaignEnded,
  isCampaignPublic,
  type CampaignState,
} from '../../src/domain/campaign-state.ts';

// The whole table, written out: every pair not listed here must be refused.
const allowed: ReadonlySet<string> = new Set([
  'draft→in_review',
  'draft→collecting',
  'draft→cancelled',
  'draft→suspended',
  'in_review→collecting',
  'in_review→draft',
  'in_review→cancelled',
  'in_review→suspended',
  'collecting→in_review',
  'collecting→suspended',
  'suspended→draft',
  'suspended→in_review',
  'suspended→collecting',
  'collecting→launching',
  'collecting→missed_goal',
  'collecting→cancelled',
  'launching→launched',
]);

describe('campaign state', () => {
  it('allows exactly the moves of a campaign’s life, and refuses every other pair', () => {
    const pairs = campaignStates.flatMap((from) => campaignStates.map((to) => [from, to] as const));
    expect(pairs).toHaveLength(64);
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
    // Review and suspension never skip the launch's goal check either.
    expect(canMoveCampaign('in_review', 'launching')).toBe(false);
    expect(canMoveCampaign('suspended', 'launching')).toBe(false);
  });

  it('cannot suspend a campaign once its launch has started or it has ended', () => {
    for (const state of ['launching', 'launched', 'missed_goal', 'cancelled'] as const)
      expect(canMoveCampaign(state, 'suspended')).toBe(false);
  });

  it('hides drafts and campaigns in review from the public, and only those', () => {
    expect(campaignStates.filter((state) => !isCampaignPublic(state))).toEqual(['draft', 'in_review']);
  });

  it('cannot cancel a campaign once its launch has started', () => {
    expect(canMoveCampaign('launching', 'cancelled')).toBe(false);
    expect(canMoveCampaign('launched', 'cancelled')).toBe(false);
  });

  it('names the states each state is reached from', () => {
    const expected: Record<CampaignState, readonly CampaignState[]> = {
      draft: ['in_review', 'suspended'],
      in_review: ['draft', 'collecting', 'suspended'],
      collecting: ['draft', 'in_review', 'suspended'],
      suspended: ['draft', 'in_review', 'collecting'],
      launching: ['collecting'],
      launched: ['launching'],
      missed_goal: ['collecting'],
      cancelled: ['draft', 'in_review', 'collecting'],
    };
    for (const to of campaignStates) expect(campaignStatesMovingTo(to), to).toEqual(expected[to]);
  });

  it('lets the organiser edit a campaign only before its launch starts', () => {
    expect(campaignStates.filter(isCampaignEditable)).toEqual(['draft', 'in_review', 'collecting']);
    expect(editableCampaignStates).toEqual(['draft', 'in_review', 'collecting']);
    expect(isCampaignEditable('suspended')).toBe(false);
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

  it('puts every state in exactly one phase: editable, suspended by the instance, launching, or ended without a launch', () => {
    for (const state of campaignStates) {
      const phases = [
        isCampaignEditable(state),
        state === 'suspended',
        hasLaunchStarted(state),
        isCampaignEnded(state) && !hasLaunchStarted(state),
      ];
      expect(phases.filter(Boolean), state).toHaveLength(1);
    }
  });
});
