import type { Queue } from 'bullmq';
import { DELIVERY_BATCH_SIZE, deliveryBatchJobId, type DeliveryJobData } from './queues.ts';

/**
 * Hands a page of deliveries to the delivery queue, 50 to a job, in one round trip to Redis.
 * `batchJobId` names each job after its first delivery: the launch's own batches by default; the
 * deliveries a network's pause kept waiting are handed out again under ids of their own.
 */
export function handOutDeliveries(
  deliveries: Queue<DeliveryJobData>,
  batchJobId: (firstDeliveryId: string) => string = deliveryBatchJobId,
): (deliveryIds: readonly string[]) => Promise<void> {
  return async (deliveryIds) => {
    const batches: string[][] = [];
    for (let i = 0; i < deliveryIds.length; i += DELIVERY_BATCH_SIZE) batches.push(deliveryIds.slice(i, i + DELIVERY_BATCH_SIZE));
    await deliveries.addBulk(
      batches.map((batch) => ({ name: 'deliver', data: { deliveryIds: batch }, opts: { jobId: batchJobId(batch[0] ?? '') } })),
    );
  };
}
