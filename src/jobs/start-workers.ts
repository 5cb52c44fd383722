import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, Worker, type Job } from 'bullmq';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import type { PostBudget } from '../domain/post-budget.ts';
import type { NetworkId } from '../networks/network-id.ts';
import { listCampaignsAwaitingLaunch, listCampaignsLaunchingBefore } from '../storage/campaign.repository.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { deliverPledge, type DeliveryPolicy } from './deliver-pledge.ts';
import { LAUNCH_JOB_LEAD_MS, scheduleLaunch } from './launch-schedule.ts';
import { runPeriodically } from './periodic-task.ts';
import { putBackDeliveryJob } from './put-back-delivery-job.ts';
import { DELIVERY_BATCH_SIZE, DELIVERY_QUEUE, LAUNCH_QUEUE, redisConnection, type DeliveryJobData, type LaunchJobData } from './queues.ts';
import { sweepForLostJobs } from './recovery-sweep.ts';
import { refreshTokensAheadOfLaunch } from './refresh-ahead-of-launch.ts';
import { releaseCampaign } from './release-campaign.ts';

export interface RunningWorkers {
  /** Stops taking jobs, lets jobs in hand finish (or hands them back after the grace period), then returns. */
  close(): Promise<void>;
}

/** The delivery rules configuration asks for, with the app-wide budget of each network that has one. */
export function deliveryPolicyFor(ctx: Pick<ChorusContext, 'config' | 'networks'>): DeliveryPolicy {
  const budgets = new Map<NetworkId, PostBudget>();
  for (const [id, network] of ctx.networks) if (network.appPlan !== undefined) budgets.set(id, network.appPlan.budget);
  return { leaseMs: ctx.config.DELIVERY_LEASE_SECONDS * 1000, retryWindowMs: ctx.config.DELIVERY_RETRY_WINDOW_SECONDS * 1000, budgets };
}

/**
 * Starts the launch and delivery workers. Before taking jobs it puts every launch that
 * Postgres says is due or scheduled back in Redis: Redis holds nothing that cannot be rebuilt.
 * Alongside, it sweeps Postgres for work whose jobs were lost, and ahead of launches loads the
 * campaigns' networks and refreshes their tokens.
 */
export async function startWorkers(
  ctx: ChorusContext,
  log: Logger,
  options: { deliveryConcurrency?: number } = {},
): Promise<RunningWorkers> {
  const { config } = ctx;
  const restored = await restoreLaunches(ctx);
  log.info({ restored }, 'launch jobs restored from Postgres');

  const connection = redisConnection(config.REDIS_URL);
  const workerOptions = {
    connection,
    prefix: config.QUEUE_PREFIX,
    lockDuration: config.JOB_LOCK_SECONDS * 1000,
    stalledInterval: config.JOB_LOCK_SECONDS * 1000,
    // A job whose worker died is handed on however often that happens: the claim in Postgres keeps it safe.
    maxStalledCount: 1000,
  };
  let stopping = false;
  const isStopping = () => stopping;

  const launchWorker = new Worker<LaunchJobData>(
    LAUNCH_QUEUE,
    async (job: Job<LaunchJobData>, token?: string) => {
      for (;;) {
        const step = await releaseCampaign({ db: ctx.db, deliveries: ctx.queues.deliveries, stopping: isStopping }, job.data.campaignId);
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
    { ...workerOptions, concurrency: 2 },
  );

  const policy = deliveryPolicyFor(ctx);
  // Posts this process keeps in flight to the networks, whether they came one job each or many to
  // a launch batch. Only the network calls wait for the limit: the Postgres work of the deliveries
  // in hand (claims, reservations, outcomes) goes on beside the posts instead of holding their places.
  const postsInFlight = options.deliveryConcurrency ?? ctx.config.DELIVERY_CONCURRENCY;
  const inFlight = pLimit(postsInFlight);
  const deliveryContext = { ...ctx, policy, store: createDeliveryStore(ctx.db, { leaseMs: policy.leaseMs }), onTheWire: inFlight };
  /** Runs one delivery and says when it must come back, if it must. */
  const deliverOne = async (deliveryId: string): Promise<Date | undefined> => {
    const step = await deliverPledge(deliveryContext, deliveryId);
    switch (step.kind) {
      case 'already-handled':
      case 'claim-lost':
        log.debug({ deliveryId, step: step.kind }, 'delivery');
        return undefined;
      case 'busy':
        return step.until;
      case 'done':
        switch (step.record.state) {
          case 'sent':
          case 'failed':
            log.debug({ deliveryId, record: step.record }, 'delivery');
            return undefined;
          case 'queued':
          case 'unknown':
          case 'held':
            log.warn({ deliveryId, record: step.record }, 'delivery will be tried again');
            return step.record.nextAttemptAt;
        }
    }
  };
  const deliveryWorker = new Worker<DeliveryJobData>(
    DELIVERY_QUEUE,
    async (job: Job<DeliveryJobData>, token?: string) => {
      if ('deliveryIds' in job.data) {
        // A launch batch: its posts go out together; any that must come back get a job of their own.
        const comeBack = await Promise.all(job.data.deliveryIds.map(async (id) => ({ id, at: await deliverOne(id) })));
        for (const { id, at } of comeBack) if (at !== undefined) await putBackDeliveryJob(ctx.queues.deliveries, id, at);
        return comeBack.length;
      }
      const comeBackAt = await deliverOne(job.data.deliveryId);
      if (comeBackAt === undefined) return 'finished';
      await job.moveToDelayed(Math.max(Date.now(), comeBackAt.getTime()), token);
      throw new DelayedError();
    },
    // Enough batches to keep `inFlight` full with the next one ready, and room for single retries;
    // more would only hold waiting posts in memory.
    { ...workerOptions, concurrency: Math.max(8, 2 * Math.ceil(postsInFlight / DELIVERY_BATCH_SIZE)) },
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

  const sweepMs = config.RECOVERY_SWEEP_SECONDS * 1000;
  const sweep = runPeriodically(
    sweepMs,
    async () => {
      const recovered = await sweepForLostJobs({
        db: ctx.db,
        launches: ctx.queues.launches,
        deliveries: ctx.queues.deliveries,
        graceMs: sweepMs,
        horizonMs: 2 * sweepMs,
      });
      if (recovered.deliveries > 0) log.warn({ recovered }, 'put back delivery jobs that Redis had lost');
    },
    (error) => {
      log.error({ err: error }, 'recovery sweep failed');
    },
  );
  const refreshAhead = runPeriodically(
    sweepMs,
    async () => {
      const now = new Date();
      const campaigns = await listCampaignsLaunchingBefore(ctx.db, now, new Date(now.getTime() + config.TOKEN_REFRESH_LEAD_SECONDS * 1000));
      for (const campaign of campaigns) {
        if (stopping) return;
        // Networks load their libraries on first use: the launch's first post must not wait for them.
        for (const id of campaign.networks) await ctx.networks.get(id)?.load?.();
        const result = await refreshTokensAheadOfLaunch(
          { ...ctx, refreshesPerSecond: config.TOKEN_REFRESHES_PER_SECOND, stopping: isStopping },
          campaign,
        );
        if (result.refreshed + result.revoked + result.deferred > 0)
          log.info({ campaignId: campaign.id, ...result }, 'tokens refreshed ahead of the launch');
      }
    },
    (error) => {
      log.error({ err: error }, 'refreshing tokens ahead of a launch failed');
    },
  );

  return {
    async close() {
      stopping = true;
      await Promise.all([sweep.stop(), refreshAhead.stop()]);
      const graceful = Promise.all([launchWorker.close(), deliveryWorker.close()]);
      const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => {
            resolve(true);
          }, graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        // Jobs still in hand are left to their leases: another worker takes them back and checks them.
        log.warn({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'jobs did not finish in time; handing them back');
        await Promise.all([launchWorker.close(true), deliveryWorker.close(true)]);
      }
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
