/** The largest goal a campaign may set: the API's schema and the dashboard's goal form both take it from here. */
export const MAX_GOAL = 10_000_000;

/** Whether a campaign with this many supporters has reached its goal (all-or-nothing). */
export function isGoalMet(supporters: number, goal: number): boolean {
  return supporters >= goal;
}

/** Percent of goal as shown to people: whole numbers, and above 100 when the goal is beaten. */
export function percentOfGoal(supporters: number, goal: number): number {
  return Math.floor((supporters * 100) / goal);
}

/** A goal may only go up while supporters are pledging: lowering it would change the deal they joined. */
export function checkGoalChange(current: number, proposed: number): string | null {
  return proposed < current ? `the goal can only be raised (it is ${current})` : null;
}
