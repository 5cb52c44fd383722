import type { Queue } from 'bullmq';
import { launchJobId, type LaunchJobData } from './queues.ts';

/**
 * How long before the launch time the launch job wakes; its worker waits out the rest with a
 * timer of its own. The queue's delayed jobs came due tens of milliseconds late (75 ms in a
 * measured run), a lateness every post of the launch inherits.
 */
export const LAUNCH_JOB_LEAD_MS = 1000;

/** Puts (or moves) a campaign's one launch job just before its launch time. */
export async function scheduleLaunch(launches: Queue<LaunchJobData>, campaignId: string, launchAt: Date): Promise<void> {
  const jobId = launchJobId(campaignId);
  const delay = Math.max(0, launchAt.getTime() - LAUNCH_JOB_LEAD_MS - Date.now());
  const existing = await launches.getJob(jobId);
  if (existing !== undefined && (await existing.isDelayed())) {
    await existing.changeDelay(delay);
    return;
  }
  if (existing !== undefined && !(await existing.isActive())) {
    await existing.remove();
  }
  // If the job is running right now, it re-reads the launch time from Postgres itself.
  await launches.add('launch', { campaignId }, { jobId, delay });
}

/** Removes a campaign's launch job, if it is still waiting. */
export async function cancelLaunch(launches: Queue<LaunchJobData>, campaignId: string): Promise<void> {
  const job = await launches.getJob(launchJobId(campaignId));
  if (job !== undefined && !(await job.isActive())) await job.remove();
}
