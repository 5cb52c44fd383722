import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import type { DeliveryPolicy } from '../delivery/delivery-policy.ts';
import { releaseCampaign, type ReleaseStep } from '../launch/release-campaign.ts';
import { handOutDeliveries } from './hand-out-deliveries.ts';
import { LAUNCH_JOB_LEAD_MS } from './launch-schedule.ts';
import { LAUNCH_QUEUE, type LaunchJobData } from './queues.ts';
import { workerOptions } from './worker-options.ts';

/** The worker that runs launch jobs: two at a time, each a campaign's launch (see releaseCampaign). */
export function startLaunchWorker(ctx: ChorusContext, log: Logger, policy: DeliveryPolicy, stopping: () => boolean): Worker<LaunchJobData> {
  const release = { ...ctx, policy, handOut: handOutDeliveries(ctx.queues.deliveries), stopping };
  return new Worker<LaunchJobData>(
    LAUNCH_QUEUE,
    async (job: Job<LaunchJobData>, token?: string): Promise<ReleaseStep> => {
      for (;;) {
        const step = await releaseCampaign(release, job.data.campaignId);
        log.info({ campaignId: job.data.campaignId, step }, 'launch job');
        switch (step.kind) {
          case 'not-yet': {
            // The job wakes just before the launch time and waits the rest here, to the millisecond;
            // or the launch was moved later while it waited, and it waits again in the queue.
            const waitMs = step.launchAt.getTime() - Date.now();
            if (waitMs <= LAUNCH_JOB_LEAD_MS) {
              await sleep(waitMs);
              continue;
            }
            await job.moveToDelayed(step.launchAt.getTime() - LAUNCH_JOB_LEAD_MS, token);
            throw new DelayedError();
          }
          case 'come-back':
            // The campaign's own post is not made yet: the launch carries on from it at `at`.
            await job.moveToDelayed(Math.max(Date.now(), step.at.getTime()), token);
            throw new DelayedError();
          case 'interrupted':
            // Handed back at once: another worker resumes from the saved cursor.
            await job.moveToDelayed(Date.now(), token);
            throw new DelayedError();
          case 'missed-goal':
          case 'released':
          case 'nothing-to-do':
            return step;
        }
      }
    },
    { ...workerOptions(ctx.config), concurrency: 2 },
  );
}
