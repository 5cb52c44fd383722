import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { eraseExpiredSupporterData } from '../use-cases/supporter-data/erase-expired-supporter-data.ts';
import { eraseReportContacts } from '../use-cases/operators/erase-report-contacts.ts';
import { redisConnection } from './queues.ts';
import { workerOptions } from './worker-options.ts';

// Housekeeping runs as a BullMQ job scheduler (a repeatable job): every worker process upserts the same scheduler,
// so however many run, one job is due at a time and one worker takes it. The payload is empty; Postgres says what
// is due, so a Redis that lost the scheduler gets it back when the next worker starts.

export const HOUSEKEEPING_QUEUE = 'housekeeping';
export const SUPPORTER_DATA_ERASURE_JOB = 'erase-expired-supporter-data';

/** The erasure of supporters' data past its retention time, as the workers run it. */
export interface SupporterDataErasure {
  /** Stops taking jobs and lets a run in hand stop between batches (see `stopping`). */
  close(): Promise<void>;
  readonly worker: Worker;
}

/**
 * Schedules the erasure every SUPPORTER_DATA_ERASURE_SWEEP_SECONDS (the first run at once) and starts the
 * worker that runs it, one at a time.
 */
export async function startSupporterDataErasure(ctx: ChorusContext, log: Logger, stopping: () => boolean): Promise<SupporterDataErasure> {
  const { config } = ctx;
  const queue = new Queue(HOUSEKEEPING_QUEUE, {
    connection: redisConnection(config.REDIS_URL),
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
  });
  await queue.upsertJobScheduler(
    SUPPORTER_DATA_ERASURE_JOB,
    { every: config.SUPPORTER_DATA_ERASURE_SWEEP_SECONDS * 1000 },
    { name: SUPPORTER_DATA_ERASURE_JOB, data: {} },
  );
  const settings = { db: ctx.db, retentionDays: config.SUPPORTER_DATA_RETENTION_DAYS, stopping };
  const worker = new Worker(
    HOUSEKEEPING_QUEUE,
    async () => {
      // Reporters' contacts ride the same sweep: personal data past its stated time.
      const contacts = await eraseReportContacts(ctx.db, config.REPORT_CONTACT_RETENTION_DAYS);
      if (contacts.kind === 'done' && contacts.value > 0)
        log.info({ reports: contacts.value, retentionDays: config.REPORT_CONTACT_RETENTION_DAYS }, "reporters' contacts erased");
      const outcome = await eraseExpiredSupporterData(settings);
      if (outcome.kind !== 'done') return;
      const erased = outcome.value;
      if (erased.campaigns + erased.pledges + erased.accounts + erased.pendingPledges > 0)
        log.info({ ...erased, retentionDays: settings.retentionDays }, "supporters' data erased");
    },
    { ...workerOptions(config), concurrency: 1 },
  );
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
