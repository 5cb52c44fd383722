import type { Queue } from 'bullmq';
import { launchJobId, type LaunchJobData } from './queues.ts';

/** Puts (or moves) a campaign's one launch job at its launch time. */
export async function scheduleLaunch(launches: Queue<LaunchJobData>, campaignId: string, launchAt: Date): Promise<void> {
  const jobId = launchJobId(campaignId);
  const delay = Math.max(0, launchAt.getTime() - Date.now());
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
