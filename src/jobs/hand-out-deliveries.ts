import type { Queue } from 'bullmq';
import { DELIVERY_BATCH_SIZE, deliveryBatchJobId, type DeliveryJobData } from './queues.ts';

/** Hands a page of new deliveries to the delivery queue, 50 to a job, in one round trip to Redis. */
export function handOutDeliveries(deliveries: Queue<DeliveryJobData>): (deliveryIds: readonly string[]) => Promise<void> {
  return async (deliveryIds) => {
    const batches: string[][] = [];
    for (let i = 0; i < deliveryIds.length; i += DELIVERY_BATCH_SIZE) batches.push(deliveryIds.slice(i, i + DELIVERY_BATCH_SIZE));
    await deliveries.addBulk(
      batches.map((batch) => ({ name: 'deliver', data: { deliveryIds: batch }, opts: { jobId: deliveryBatchJobId(batch[0] ?? '') } })),
    );
  };
}
