/**
 * A release that started more than this after its launch time is shown as late: within it,
 * the few seconds a worker takes to pick a launch job up are not news.
 */
export const lateLaunchThresholdSeconds = 60;

/** How late a launch's release started, in whole seconds, and whether that counts as late. */
export function launchLateness(launchAt: Date, startedAt: Date): { lateBySeconds: number; late: boolean } {
  const lateBySeconds = Math.max(0, Math.floor((startedAt.getTime() - launchAt.getTime()) / 1000));
  return { lateBySeconds, late: lateBySeconds > lateLaunchThresholdSeconds };
}
