import type { ChorusContext } from '../../chorus-context.ts';
import { pingDatabase } from '../../storage/ping-database.ts';

/**
 * What the API's GET /health reports: Postgres answers, Redis answers, workers are listening, and how long the
 * oldest due delivery has waited. `ok` only when Chorus can launch campaigns.
 */
export async function readHealth(ctx: ChorusContext) {
  const [database, queue] = await Promise.all([pingDatabase(ctx.db), queueHealth(ctx).catch(() => null)]);
  return {
    ok: database && queue !== null && queue.workers > 0,
    database,
    redis: queue !== null,
    workers: queue?.workers ?? 0,
    waitingDeliveries: queue?.waiting ?? 0,
    oldestWaitingSeconds: queue?.oldestWaitingSeconds ?? 0,
  };
}

async function queueHealth(ctx: ChorusContext) {
  const deliveries = ctx.queues.deliveries;
  const [workers, waiting, oldest] = await Promise.all([
    deliveries.getWorkersCount(),
    deliveries.getWaitingCount(),
    deliveries.getWaiting(0, 0),
  ]);
  const oldestTimestamp = oldest[0]?.timestamp;
  return {
    workers,
    waiting,
    oldestWaitingSeconds: oldestTimestamp === undefined ? 0 : Math.max(0, Math.round((Date.now() - oldestTimestamp) / 1000)),
  };
}
