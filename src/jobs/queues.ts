import { Queue, type ConnectionOptions } from 'bullmq';

// Job payloads carry ids only: Redis keeps job data in clear, so never tokens or message text.

/** The launch of one campaign: a delayed job just before its launch time (see `LAUNCH_JOB_LEAD_MS`), with a stable id per campaign. */
export interface LaunchJobData {
  readonly campaignId: string;
}

/**
 * Posts to make: a batch handed out at launch (one job for many posts, so the queue's own work
 * does not grow with every post), or one delivery that is retried or put back on its own.
 */
export type DeliveryJobData = { readonly deliveryIds: readonly string[] } | { readonly deliveryId: string };

/** How many deliveries the launch puts in one job. */
export const DELIVERY_BATCH_SIZE = 50;

/** One outbox mail to send (docs/mail.md); the row says what, to whom and whether it is still to send. */
export interface MailJobData {
  readonly outboxId: string;
}

/** Attempts at one mail before it is recorded as failed: with the backoff doubling from MAIL_RETRY_DELAY_SECONDS (15 s), about 8.5 hours. */
export const MAIL_SEND_ATTEMPTS = 12;

export const LAUNCH_QUEUE = 'launches';
export const MAIL_QUEUE = 'mail';

/** One attempt of one webhook delivery (its row in Postgres says what to send). */
export interface WebhookJobData {
  readonly deliveryId: string;
}

export const WEBHOOK_QUEUE = 'webhooks';

/** The job id of a webhook delivery's attempt: one job per attempt, so a relay and a sweep cannot enqueue it twice. */
export function webhookJobId(deliveryId: string, attempt: number): string {
  return `webhook-${deliveryId}-${attempt}`;
}

export const DELIVERY_QUEUE = 'deliveries';

/** The job id of a campaign's launch; stable, so re-adding it after a restart is a no-op. */
export function launchJobId(campaignId: string): string {
  return `launch-${campaignId}`;
}

/** The job id of a delivery, so a launch job that resumes cannot enqueue a delivery twice. */
export function deliveryJobId(deliveryId: string): string {
  return `delivery-${deliveryId}`;
}

/** The job id of a launch batch, named after its first delivery. */
export function deliveryBatchJobId(firstDeliveryId: string): string {
  return `deliveries-${firstDeliveryId}`;
}

/** The job id of a batch handed out again when a network's pause (begun at `pausedSince`) ended. */
export function resumedBatchJobId(pausedSince: Date, firstDeliveryId: string): string {
  return `resumed-${pausedSince.getTime()}-${firstDeliveryId}`;
}

/** The job id of an outbox mail's job: stable, so adding it again (the sweep, a second writer) is a no-op while it waits. */
export function mailJobId(outboxId: string): string {
  return `mail-${outboxId}`;
}

export interface ChorusQueues {
  readonly launches: Queue<LaunchJobData>;
  readonly deliveries: Queue<DeliveryJobData>;
  readonly mail: Queue<MailJobData>;
  readonly webhooks: Queue<WebhookJobData>;
  close(): Promise<void>;
}

/** Connection settings for BullMQ from a redis:// URL (BullMQ needs maxRetriesPerRequest null). */
export function redisConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** Opens the queues Chorus uses; `mailRetryDelayMs` is the first backoff of a mail the server deferred. */
export function openQueues(redisUrl: string, prefix: string, mailRetryDelayMs = 15_000): ChorusQueues {
  const connection = redisConnection(redisUrl);
  const launches = new Queue<LaunchJobData>(LAUNCH_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 20, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 },
  });
  const deliveries = new Queue<DeliveryJobData>(DELIVERY_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 10_000 },
  });
  // A finished mail's job is removed either way: the outbox row keeps the outcome, and a row still pending
  // (its worker died on the last attempt) must be able to get a new job from the sweep under the same id.
  const mail = new Queue<MailJobData>(MAIL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: MAIL_SEND_ATTEMPTS,
      backoff: { type: 'exponential', delay: mailRetryDelayMs },
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  // Retries and their backoff are the delivery row's (Postgres): a job that throws (Postgres away) is tried a few
  // times, and beyond that the sweep finds its row again.
  const webhooks = new Queue<WebhookJobData>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: true },
  });
  return {
    launches,
    deliveries,
    mail,
    webhooks,
    async close() {
      await Promise.all([launches.close(), deliveries.close(), mail.close(), webhooks.close()]);
    },
  };
}
