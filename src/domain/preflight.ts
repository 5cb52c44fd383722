/** A network's pledges set against what the configured app may post in a day, and what it costs. */
export interface NetworkPreflight {
  readonly pledges: number;
  readonly dailyAllowance: number;
  readonly estimatedCost: number;
  /** Pledges beyond the allowance: posted hours after the launch, or refused, depending on the plan. */
  readonly overAllowance: number;
}

/** Sets pledges against the app's daily allowance and price per post. */
export function preflight(pledges: number, dailyAllowance: number, pricePerPost: number): NetworkPreflight {
  return {
    pledges,
    dailyAllowance,
    estimatedCost: Math.round(pledges * pricePerPost * 100) / 100,
    overAllowance: Math.max(0, pledges - dailyAllowance),
  };
}
