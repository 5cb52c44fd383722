import type { CampaignState } from './campaign-state.ts';

/** The states a suspension can be lifted back to: the ones a campaign can be suspended from. */
export type CampaignReviewState = Extract<CampaignState, 'draft' | 'in_review' | 'collecting'>;

/** The longest reason an operator may give when returning a campaign, or a visitor when reporting one. */
export const reviewTextLimits = { reasonMaxLength: 2000, contactMaxLength: 254 } as const;

/** Where publishing takes a draft: to review, unless the instance reviews nothing or its organisation is trusted. */
export function publishedState(reviewRequired: boolean, organisationTrusted: boolean): 'in_review' | 'collecting' {
  return reviewRequired && !organisationTrusted ? 'in_review' : 'collecting';
}

/** What a reviewer approved: the words and where they go. */
export interface ReviewedContent {
  readonly message: string;
  readonly variants: readonly string[];
  readonly link: string;
  readonly networks: readonly string[];
}

/**
 * Whether changing an approved campaign from `before` to `after` needs a new review: its message, variants, link or
 * networks changed. The goal, the launch time, the title, the description and the image do not.
 */
export function changeNeedsReview(before: ReviewedContent, after: ReviewedContent): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  return (
    before.message !== after.message ||
    before.link !== after.link ||
    !same(before.variants, after.variants) ||
    !same(before.networks, after.networks)
  );
}

/** Whether a campaign waiting for review can be approved now: its launch time must still be ahead. */
export function approvalProblem(launchAt: Date, now: Date): string | null {
  return launchAt.getTime() <= now.getTime()
    ? 'its launch time passed while it waited for review; the organiser must pick a new one before it can be approved'
    : null;
}
