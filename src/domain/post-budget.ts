/**
 * The app's posting budget: at most `limit` posts in any window (24 hours on X), counted in
 * buckets of a twenty-fourth of the window, so the budget renews an hour's worth at a time.
 */
export interface PostBudget {
  readonly limit: number;
  readonly windowMs: number;
}

/** A network's app-wide posting plan (X): every supporter's post counts against one budget and is charged. */
export interface AppPostingPlan {
  readonly budget: PostBudget;
  readonly pricePerPost: number;
  /** ISO 4217 code of the price, e.g. USD. */
  readonly currency: string;
}

const bucketsPerWindow = 24;

/** The start of the bucket that `at` falls in. */
export function budgetBucketStart(budget: PostBudget, at: Date): Date {
  const bucketMs = bucketSizeMs(budget);
  return new Date(Math.floor(at.getTime() / bucketMs) * bucketMs);
}

/** The earliest bucket start still inside the window that ends with `at`'s bucket. */
export function budgetWindowStart(budget: PostBudget, at: Date): Date {
  return new Date(budgetBucketStart(budget, at).getTime() - (bucketsPerWindow - 1) * bucketSizeMs(budget));
}

/** When the posts of the bucket starting at `bucketStart` stop counting. */
export function budgetRenewsAt(budget: PostBudget, bucketStart: Date): Date {
  return new Date(bucketStart.getTime() + bucketsPerWindow * bucketSizeMs(budget));
}

function bucketSizeMs(budget: PostBudget): number {
  return Math.max(1, Math.floor(budget.windowMs / bucketsPerWindow));
}
