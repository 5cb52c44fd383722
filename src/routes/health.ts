import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import Type from 'typebox';
import type { ChorusContext } from '../chorus-context.ts';

/**
 * Health that tells the truth: Postgres answers, Redis answers, workers are listening, and
 * how long the oldest due delivery has waited (posts that sit silently in a queue are a failure).
 */
const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Is Chorus able to launch campaigns?',
        response: {
          200: HealthView,
          503: HealthView,
        },
      },
    },
    async (_request, reply) => {
      const [database, queue] = await Promise.all([
        sql`select 1`.execute(ctx.db).then(
          () => true,
          () => false,
        ),
        queueHealth(ctx).catch(() => null),
      ]);
      const ok = database && queue !== null && queue.workers > 0;
      return reply.code(ok ? 200 : 503).send({
        ok,
        database,
        redis: queue !== null,
        workers: queue?.workers ?? 0,
        waitingDeliveries: queue?.waiting ?? 0,
        oldestWaitingSeconds: queue?.oldestWaitingSeconds ?? 0,
      });
    },
  );
};

const HealthView = Type.Object({
  ok: Type.Boolean(),
  database: Type.Boolean(),
  redis: Type.Boolean(),
  workers: Type.Integer({ description: 'worker connections listening for deliveries' }),
  waitingDeliveries: Type.Integer(),
  oldestWaitingSeconds: Type.Integer({ description: 'queue lag: how long the oldest waiting delivery has waited' }),
});

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

export default healthRoutes;
