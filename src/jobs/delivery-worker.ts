import { DelayedError, Worker, type Job } from 'bullmq';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { createCampaignPostReader } from '../delivery/campaign-post-reader.ts';
import { deliverPledge, type DeliveryContext, type PauseChange } from '../delivery/deliver-pledge.ts';
import type { DeliveryPolicy } from '../delivery/delivery-policy.ts';
import { createDeliveryStore } from '../delivery/delivery-store.ts';
import { wakeDeliveriesAfterPause } from '../delivery/wake-deliveries-after-pause.ts';
import { handOutDeliveries } from './hand-out-deliveries.ts';
import { putBackDeliveryJob } from './put-back-delivery-job.ts';
import { DELIVERY_BATCH_SIZE, DELIVERY_QUEUE, resumedBatchJobId, type DeliveryJobData } from './queues.ts';
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

  /** Says in the log what a delivery did to its network's pause, and hands out again what a pause that ended kept waiting. */
  async function followPause(change: PauseChange): Promise<void> {
    const { network, cause, nextProbeAt, probes } = change.hold;
    switch (change.kind) {
      case 'started':
        log.warn(
          { network, cause, nextProbeAt, reason: change.hold.reason },
          'network paused: its posts wait, one will be tried at nextProbeAt',
        );
        return;
      case 'extended':
        log.warn({ network, cause, nextProbeAt, probes }, 'network still paused: the next try is at nextProbeAt');
        return;
      case 'joined':
        return;
      case 'ended': {
        const woken = await wakeDeliveriesAfterPause(
          ctx.db,
          network,
          handOutDeliveries(ctx.queues.deliveries, (first) => resumedBatchJobId(change.hold.since, first)),
        );
        log.info({ network, cause, pausedSince: change.hold.since, woken }, 'network pause ended: its waiting posts are handed out again');
        return;
      }
    }
  }

  /** Runs one delivery and says when it must come back, if it must. */
  async function deliverOne(deliveryId: string): Promise<Date | undefined> {
    const step = await deliverPledge(deliveryContext, deliveryId);
    switch (step.kind) {
      case 'already-handled':
      case 'claim-lost':
      case 'paused':
        log.debug({ deliveryId, step: step.kind }, 'delivery');
        return undefined;
      case 'busy':
        return step.until;
      case 'done':
        if (step.pause !== undefined) await followPause(step.pause);
        switch (step.record.state) {
          case 'sent':
          case 'failed':
            log.debug({ deliveryId, record: step.record }, 'delivery');
            return undefined;
          case 'queued':
          case 'unknown':
          case 'held':
            // A held delivery with no time waits for its network's pause to end: it is handed out again then.
            if (step.record.nextAttemptAt === null) return undefined;
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
