import type { Queue } from 'bullmq';
import { deliveryJobId, type DeliveryJobData } from './queues.ts';

/**
 * Makes sure one delivery has its own job, due at `at`: for a retry out of a launch batch, or for
 * a delivery whose job Redis lost. A job already waiting for it is left alone; a finished one
 * (whose id would make the new one a no-op) is removed first.
 */
export async function putBackDeliveryJob(
  deliveries: Queue<DeliveryJobData>,
  deliveryId: string,
  at: Date,
): Promise<'added' | 'already-there'> {
  const jobId = deliveryJobId(deliveryId);
  const state = await deliveries.getJobState(jobId);
  switch (state) {
    case 'active':
    case 'waiting':
    case 'waiting-children':
    case 'delayed':
    case 'prioritized':
      return 'already-there';
    case 'completed':
    case 'failed':
      await deliveries.remove(jobId);
      break;
    case 'unknown':
      break;
  }
  await deliveries.add('deliver', { deliveryId }, { jobId, delay: Math.max(0, at.getTime() - Date.now()) });
  return 'added';
}
