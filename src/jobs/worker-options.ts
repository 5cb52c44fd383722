import type { WorkerOptions } from 'bullmq';
import type { Config } from '../../config/config.ts';
import { redisConnection } from './queues.ts';

/** The BullMQ settings both workers share, from configuration. */
export function workerOptions(config: Config): WorkerOptions {
  return {
    connection: redisConnection(config.REDIS_URL),
    prefix: config.QUEUE_PREFIX,
    lockDuration: config.JOB_LOCK_SECONDS * 1000,
    stalledInterval: config.JOB_LOCK_SECONDS * 1000,
    // A job whose worker died is handed on however often that happens: the claim in Postgres keeps it safe.
    maxStalledCount: 1000,
  };
}
