import { describe, expect, it } from 'vitest';
import { approvalProblem, changeNeedsReview, publishedState } from '../../src/domain/campaign-review.ts';
import { launchDays } from '../../src/domain/launch-day-budget.ts';
import { defaultSignUpMode } from '../../src/domain/sign-up-mode.ts';

const approved = {
  message: 'Thank you! https://example.org #Heroes',
  variants: ['Thanks! https://example.org #Heroes'],
  link: 'https://example.org',
  networks: ['x', 'mastodon'],
};

describe('review before publishing', () => {
  it('sends a published campaign to review unless review is off or its organisation is trusted', () => {
    expect(publishedState(true, false)).toBe('in_review');
    expect(publishedState(true, true)).toBe('collecting');
    expect(publishedState(false, false)).toBe('collecting');
  });

  it('reviews again a change to the message, variants, link or networks, and nothing else', () => {
    expect(changeNeedsReview(approved, { ...approved })).toBe(false);
    expect(changeNeedsReview(approved, { ...approved, message: 'Other words https://example.org #Heroes' })).toBe(true);
    expect(changeNeedsReview(approved, { ...approved, variants: [] })).toBe(true);
    expect(changeNeedsReview(approved, { ...approved, variants: ['Thanks! https://example.org #Heroes', 'More'] })).toBe(true);
    expect(changeNeedsReview(approved, { ...approved, link: 'https://example.org/other' })).toBe(true);
    expect(changeNeedsReview(approved, { ...approved, networks: ['x'] })).toBe(true);
    expect(changeNeedsReview(approved, { ...approved, networks: ['mastodon', 'x'] })).toBe(true);
  });

  it('refuses to approve a campaign whose launch time has passed', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(approvalProblem(new Date('2026-12-02T10:00:01Z'), now)).toBeNull();
    expect(approvalProblem(now, now)).toMatch(/pick a new one/);
  });

  it('takes invitations only on a production instance until an operator says otherwise', () => {
    expect(defaultSignUpMode('production')).toBe('invitation');
    expect(defaultSignUpMode('development')).toBe('open');
  });
});

describe("the launch plan against the X app's daily budget", () => {
  it('adds up the X posts of each UTC day and flags the days over the budget', () => {
    const at = (iso: string) => new Date(iso);
    const days = launchDays(
      [
        { id: 'a', launchAt: at('2026-12-03T09:00:00Z'), xPosts: 600 },
        { id: 'b', launchAt: at('2026-12-03T18:00:00Z'), xPosts: 500 },
        { id: 'c', launchAt: at('2026-12-04T00:30:00Z'), xPosts: 100 },
      ],
      1000,
      0.2,
    );
    expect(days).toEqual([
      {
        day: '2026-12-03',
        launchIds: ['a', 'b'],
        preflight: { pledges: 1100, dailyAllowance: 1000, estimatedCost: 220, overAllowance: 100 },
        exceedsBudget: true,
      },
      {
        day: '2026-12-04',
        launchIds: ['c'],
        preflight: { pledges: 100, dailyAllowance: 1000, estimatedCost: 20, overAllowance: 0 },
        exceedsBudget: false,
      },
    ]);
  });
});
