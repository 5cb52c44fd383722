import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { commaList } from '../../config/comma-list.ts';
import type { ChorusContext } from '../chorus-context.ts';
import { WEBHOOK_BACKOFF_CAP_MS } from '../domain/webhook-attempt.ts';
import { loadOnFirstUse } from '../networks/load-on-first-use.ts';
import {
  deleteWebhookEventsBefore,
  releaseLostWebhookJobs,
  takeDueWebhookDeliveries,
  writeGoalReachedEvents,
} from '../storage/webhook-delivery.repository.ts';
import { deliverWebhook, type WebhookSending } from '../webhooks/deliver-webhook.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';
import { WEBHOOK_QUEUE, webhookJobId, type WebhookJobData } from './queues.ts';
import { workerOptions } from './worker-options.ts';

/** Webhook requests one worker process keeps in flight. */
const WEBHOOK_CONCURRENCY = 20;

/** Deliveries the relay hands to the queue per statement. */
const RELAY_PAGE = 500;

/** Events and log rows the retention sweep deletes per statement. */
const RETENTION_PAGE = 1000;

/** The webhook worker and the periodic tasks beside it. */
export interface WebhookWork {
  readonly worker: Worker<WebhookJobData>;
  readonly tasks: readonly PeriodicTask[];
}

/**
 * Starts sending webhooks: a worker making one attempt per job; a relay that hands new and due deliveries from the
 * outbox to the queue every WEBHOOK_DISPATCH_SECONDS; and a sweep every RECOVERY_SWEEP_SECONDS that hands back
 * deliveries whose job was lost, writes the derived `campaign.goal_reached` events, and deletes events past
 * WEBHOOK_LOG_RETENTION_DAYS.
 */
export function startWebhookWork(ctx: ChorusContext, log: Logger): WebhookWork {
  const { config, db, queues } = ctx;
  const sending: WebhookSending = {
    db,
    cipher: ctx.cipher,
    // Loaded with the first webhook: the guard's undici is about 30 MiB of a worker's memory, which a release without webhooks does
    // not need (the networks that use it load it with their modules).
    guard: loadOnFirstUse(async () =>
      (await import('../outbound/outbound-guard.ts')).createOutboundGuard({ allowedOrigins: commaList(config.WEBHOOK_LOCAL_ORIGINS) }),
    ),
    timeoutMs: config.WEBHOOK_TIMEOUT_SECONDS * 1000,
    retry: {
      windowMs: config.WEBHOOK_RETRY_WINDOW_SECONDS * 1000,
      backoff: { baseMs: config.WEBHOOK_RETRY_BASE_SECONDS * 1000, capMs: WEBHOOK_BACKOFF_CAP_MS },
    },
  };

  const worker = new Worker<WebhookJobData>(
    WEBHOOK_QUEUE,
    async (job) => {
      const step = await deliverWebhook(sending, job.data.deliveryId);
      if (step.kind === 'skipped' || !step.recorded) return;
      const { decision } = step;
      switch (decision.state) {
        case 'sent':
          return;
        case 'failed':
          log.warn({ deliveryId: job.data.deliveryId, attempts: step.nextAttempt - 1 }, 'webhook delivery failed for good');
          return;
        case 'pending':
          await queues.webhooks.add(
            'attempt',
            { deliveryId: job.data.deliveryId },
            {
              jobId: webhookJobId(job.data.deliveryId, step.nextAttempt),
              delay: Math.max(0, decision.nextAttemptAt.getTime() - Date.now()),
            },
          );
          return;
      }
    },
    { ...workerOptions(config), concurrency: WEBHOOK_CONCURRENCY },
  );

  const relay = runPeriodically(
    config.WEBHOOK_DISPATCH_SECONDS * 1000,
    async () => {
      for (;;) {
        const due = await takeDueWebhookDeliveries(db, RELAY_PAGE);
        if (due.length > 0)
          await queues.webhooks.addBulk(
            due.map((row) => ({
              name: 'attempt',
              data: { deliveryId: row.id },
              opts: { jobId: webhookJobId(row.id, row.attempts + 1) },
            })),
          );
        if (due.length < RELAY_PAGE) return;
      }
    },
    (error) => {
      log.error({ err: error }, 'handing webhook deliveries to the queue failed');
    },
  );

  const retentionMs = config.WEBHOOK_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000;
  // A job is lost when its attempt is this late: past the lease of a worker that took it and died, with a margin.
  const lostAfterMs = sending.timeoutMs + 90_000;
  const sweep = runPeriodically(
    config.RECOVERY_SWEEP_SECONDS * 1000,
    async () => {
      const released = await releaseLostWebhookJobs(db, lostAfterMs);
      const goalsReached = await writeGoalReachedEvents(db);
      const deleted = await deleteWebhookEventsBefore(db, new Date(Date.now() - retentionMs), RETENTION_PAGE);
      if (released + goalsReached + deleted > 0) log.info({ released, goalsReached, deleted }, 'webhook sweep');
    },
    (error) => {
      log.error({ err: error }, 'webhook sweep failed');
    },
  );

  return { worker, tasks: [relay, sweep] };
}
