import { preflight, type NetworkPreflight } from './preflight.ts';

/** One launch's expected X posts. */
export interface PlannedLaunch {
  readonly id: string;
  readonly launchAt: Date;
  readonly xPosts: number;
}

/** A day's launches against the X app's daily budget: flagged when together they would exceed it. */
export interface LaunchDay {
  /** The day, YYYY-MM-DD in UTC. */
  readonly day: string;
  readonly launchIds: readonly string[];
  readonly preflight: NetworkPreflight;
  readonly exceedsBudget: boolean;
}

/**
 * Groups launches by UTC day and sets each day's X posts against the app's daily allowance and price (the same
 * preflight as one campaign's dashboard). A day whose launches together post more than the allowance is flagged:
 * the posts beyond it wait for the budget to renew, hours after their launch.
 */
export function launchDays(launches: readonly PlannedLaunch[], dailyAllowance: number, pricePerPost: number): LaunchDay[] {
  const byDay = new Map<string, PlannedLaunch[]>();
  for (const launch of launches) {
    const day = launch.launchAt.toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), launch]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, dayLaunches]) => {
      const check = preflight(
        dayLaunches.reduce((sum, launch) => sum + launch.xPosts, 0),
        dailyAllowance,
        pricePerPost,
      );
      return { day, launchIds: dayLaunches.map((launch) => launch.id), preflight: check, exceedsBudget: check.overAllowance > 0 };
    });
}
