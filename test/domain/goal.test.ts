import { describe, expect, it } from 'vitest';
import { checkGoalChange, isGoalMet, MAX_GOAL, percentOfGoal } from '../../src/domain/goal.ts';

describe('campaign goal', () => {
  it('is met at exactly the goal, and not one supporter short', () => {
    expect(isGoalMet(100, 100)).toBe(true);
    expect(isGoalMet(99, 100)).toBe(false);
    expect(isGoalMet(101, 100)).toBe(true);
    expect(isGoalMet(0, 1)).toBe(false);
  });

  it('is met at the largest goal allowed', () => {
    expect(MAX_GOAL).toBe(10_000_000);
    expect(isGoalMet(MAX_GOAL, MAX_GOAL)).toBe(true);
    expect(isGoalMet(MAX_GOAL - 1, MAX_GOAL)).toBe(false);
  });

  it('shows whole percents, rounded down so 100% appears only when the goal is met', () => {
    expect(percentOfGoal(0, 250)).toBe(0);
    expect(percentOfGoal(1, 3)).toBe(33);
    expect(percentOfGoal(2, 3)).toBe(66);
    expect(percentOfGoal(999, 1000)).toBe(99);
    expect(percentOfGoal(1000, 1000)).toBe(100);
    expect(percentOfGoal(MAX_GOAL - 1, MAX_GOAL)).toBe(99);
  });

  it('shows more than 100% when the goal is beaten', () => {
    expect(percentOfGoal(150, 100)).toBe(150);
    expect(percentOfGoal(7, 2)).toBe(350);
  });

  it('may be raised or kept, never lowered', () => {
    expect(checkGoalChange(100, 101)).toBeNull();
    expect(checkGoalChange(100, 100)).toBeNull();
    expect(checkGoalChange(100, 99)).toBe('the goal can only be raised (it is 100)');
  });
});
