import { DelayedError, Worker, type Job } from 'bullmq';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { createCampaignPostReader } from '../delivery/campaign-post-reader.ts';
import { deliverPledge, type DeliveryContext } from '../delivery/deliver-pledge.ts';
import type { DeliveryPolicy } from '../delivery/delivery-policy.ts';
import { createDeliveryStore } from '../delivery/delivery-store.ts';
import { putBackDeliveryJob } from './put-back-delivery-job.ts';
import { DELIVERY_BATCH_SIZE, DELIVERY_QUEUE, type DeliveryJobData } from './queues.ts';
import { workerOptions } from './worker-options.ts';

/**
 * The worker that runs delivery jobs: a launch batch of many posts, or one delivery retried or
 * put back. `postsInFlight` posts of this process are with the networks at once, whichever jobs they came in.
 */
export function startDeliveryWorker(
  ctx: ChorusContext,
  log: Logger,
  policy: DeliveryPolicy,
  postsInFlight: number,
): Worker<DeliveryJobData> {
  const deliveryContext: DeliveryContext = {
    ...ctx,
    policy,
    store: createDeliveryStore(ctx.db, { leaseMs: policy.leaseMs }),
    // Only the network calls wait for the limit: the Postgres work of the deliveries in hand
    // (claims, reservations, outcomes) goes on beside the posts instead of holding their places.
    onTheWire: pLimit(postsInFlight),
    campaignPosts: createCampaignPostReader(ctx.db),
  };

  /** Runs one delivery and says when it must come back, if it must. */
  async function deliverOne(deliveryId: string): Promise<Date | undefined> {
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
  }

  return new Worker<DeliveryJobData>(
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
    // Enough batches to keep the posts in flight full with the next one ready, and room for single
    // retries; more would only hold waiting posts in memory.
    { ...workerOptions(ctx.config), concurrency: Math.max(8, 2 * Math.ceil(postsInFlight / DELIVERY_BATCH_SIZE)) },
  );
}
