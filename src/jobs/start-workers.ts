import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { listCampaignsAwaitingLaunch } from '../storage/campaign.repository.ts';
import { deliverPledge } from './deliver-pledge.ts';
import { scheduleLaunch } from './launch-schedule.ts';
import { DELIVERY_QUEUE, LAUNCH_QUEUE, redisConnection, type DeliveryJobData, type LaunchJobData } from './queues.ts';
import { releaseCampaign } from './release-campaign.ts';

export interface RunningWorkers {
  close(): Promise<void>;
}

/**
 * Starts the launch and delivery workers. Before taking jobs it puts every launch that
 * Postgres says is due or scheduled back in Redis: Redis holds nothing that cannot be rebuilt.
 */
export async function startWorkers(ctx: ChorusContext, log: Logger, options: { deliveryConcurrency?: number } = {}): Promise<RunningWorkers> {
  const restored = await restoreLaunches(ctx);
  log.info({ restored }, 'launch jobs restored from Postgres');

  const connection = redisConnection(ctx.config.REDIS_URL);
  const prefix = ctx.config.QUEUE_PREFIX;

  const launchWorker = new Worker<LaunchJobData>(
    LAUNCH_QUEUE,
    async (job: Job<LaunchJobData>, token?: string) => {
      const step = await releaseCampaign({ db: ctx.db, deliveries: ctx.queues.deliveries }, job.data.campaignId);
      log.info({ campaignId: job.data.campaignId, step: step.kind }, 'launch job');
      switch (step.kind) {
        case 'not-yet':
          // The launch was moved later while this job waited: wait again, for the new time.
          await job.moveToDelayed(step.launchAt.getTime(), token);
          throw new DelayedError();
        case 'missed-goal':
        case 'released':
        case 'nothing-to-do':
          return step;
      }
    },
    { connection, prefix, concurrency: 2 },
  );

  const deliveryWorker = new Worker<DeliveryJobData>(
    DELIVERY_QUEUE,
    async (job: Job<DeliveryJobData>, token?: string) => {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const step = await deliverPledge(ctx, job.data.deliveryId, lastAttempt);
      switch (step.kind) {
        case 'retry-after':
          log.warn({ deliveryId: job.data.deliveryId, seconds: step.seconds, reason: step.reason }, 'delivery waits for the network');
          await job.moveToDelayed(Date.now() + step.seconds * 1000, token);
          throw new DelayedError();
        case 'retry-with-backoff':
          // Throwing hands the job back to BullMQ, which retries with exponential backoff.
          throw new Error(step.reason);
        case 'done':
          log.info({ deliveryId: job.data.deliveryId, state: step.record.state }, 'delivery');
          return step.record.state;
        case 'already-handled':
          return step.kind;
      }
    },
    { connection, prefix, concurrency: options.deliveryConcurrency ?? 50 },
  );

  for (const worker of [launchWorker, deliveryWorker]) {
    worker.on('failed', (job, error) => {
      log.warn({ queue: worker.name, jobId: job?.id, reason: error.message }, 'job attempt failed');
    });
    worker.on('error', (error) => {
      log.error({ queue: worker.name, err: error }, 'worker error');
    });
  }
  await Promise.all([launchWorker.waitUntilReady(), deliveryWorker.waitUntilReady()]);

  return {
    async close() {
      await Promise.all([launchWorker.close(), deliveryWorker.close()]);
    },
  };
}

/** Puts a launch job back for every campaign that Postgres says still needs one. */
export async function restoreLaunches(ctx: ChorusContext): Promise<number> {
  const campaigns = await listCampaignsAwaitingLaunch(ctx.db);
  for (const campaign of campaigns) {
    await scheduleLaunch(ctx.queues.launches, campaign.id, campaign.launch_at);
  }
  return campaigns.length;
}
