import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { startAuditRetention } from './audit-retention-task.ts';
import { deliveryPolicyFor } from '../delivery/delivery-policy.ts';
import { startDeliveryWorker } from './delivery-worker.ts';
import { startLaunchWorker } from './launch-worker.ts';
import { createSmtpTransport } from '../mail/mail-transport.ts';
import { startMailSweep } from './mail-sweep-task.ts';
import { startDeletingMarkedOrganisations } from './organisation-deletion-task.ts';
import { startMailWorker } from './mail-worker.ts';
import { startRecoverySweep } from './recovery-sweep.ts';
import { startRefreshingAheadOfLaunches } from './refresh-ahead-task.ts';
import { restoreLaunches } from './restore-launches.ts';
import { startSweepingEndedSessions } from './session-sweep-task.ts';
import { startSupporterDataErasure } from './supporter-data-erasure.ts';
import { startWebhookWork } from './webhook-worker.ts';

export interface RunningWorkers {
  /** Stops taking jobs, lets jobs in hand finish (or hands them back after the grace period), then returns. */
  close(): Promise<void>;
}

/**
 * Starts the launch and delivery workers. Before taking jobs it puts every launch that
 * Postgres says is due or scheduled back in Redis: Redis holds nothing that cannot be rebuilt.
 * Alongside, it sweeps Postgres for work whose jobs were lost, gets launches ready ahead of time,
 * deletes the records of organisers' sessions that have ended and the organisations of deleted accounts, and erases supporters' data once its
 * retention time is over (a repeatable job). With SMTP_URL set, it also sends the outbox's mails and writes the
 * organisers' mails as they fall due (docs/mail.md); and it sends webhooks from their outbox (docs/webhooks.md).
 */
export async function startWorkers(
  ctx: ChorusContext,
  log: Logger,
  options: { deliveryConcurrency?: number } = {},
): Promise<RunningWorkers> {
  const { config } = ctx;
  log.info({ restored: await restoreLaunches(ctx) }, 'launch jobs restored from Postgres');

  let stopping = false;
  const isStopping = () => stopping;
  const policy = deliveryPolicyFor(ctx);
  const erasure = await startSupporterDataErasure(ctx, log, isStopping);
  const webhooks = startWebhookWork(ctx, log);
  const workers: Worker[] = [
    startLaunchWorker(ctx, log, policy, isStopping),
    startDeliveryWorker(ctx, log, policy, options.deliveryConcurrency ?? config.DELIVERY_CONCURRENCY),
    erasure.worker,
    webhooks.worker,
  ];
  const transport = config.SMTP_URL === undefined ? undefined : createSmtpTransport(config.SMTP_URL);
  if (transport === undefined) log.warn('no SMTP_URL configured: no mail is written or sent');
  else workers.push(startMailWorker(ctx, log, transport));
  for (const worker of workers) reportProblems(worker, log);
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  const sweepMs = config.RECOVERY_SWEEP_SECONDS * 1000;
  const tasks = [
    startRecoverySweep(ctx, log, sweepMs),
    startRefreshingAheadOfLaunches(ctx, log, sweepMs, isStopping),
    startSweepingEndedSessions(ctx, log),
    ...(transport === undefined ? [] : [startMailSweep(ctx, log)]),
    ...webhooks.tasks,
    startAuditRetention(ctx, log),
    startDeletingMarkedOrganisations(ctx, log, sweepMs),
  ];

  return {
    async close() {
      stopping = true;
      await Promise.all(tasks.map((task) => task.stop()));
      if (!(await closeWithin(workers, config.SHUTDOWN_GRACE_SECONDS * 1000))) {
        // Jobs still in hand are left to their leases: another worker takes them back and checks them.
        log.warn({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'jobs did not finish in time; handing them back');
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await erasure.close();
      transport?.close();
    },
  };
}

function reportProblems(worker: Worker, log: Logger): void {
  worker.on('failed', (job, error) => {
    log.warn({ queue: worker.name, jobId: job?.id, reason: error.message }, 'job attempt failed');
  });
  worker.on('error', (error) => {
    log.error({ queue: worker.name, err: error }, 'worker error');
  });
}

/** Closes the workers gracefully; false when their jobs in hand did not finish within `graceMs`. */
async function closeWithin(workers: readonly Worker[], graceMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    Promise.all(workers.map((worker) => worker.close())).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, graceMs);
    }),
  ]);
  clearTimeout(timer);
  return closed;
}
