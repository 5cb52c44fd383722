import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../chorus-context.ts';
import { readHealth } from '../use-cases/operations/read-health.ts';

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
      const health = await readHealth(ctx);
      return reply.code(health.ok ? 200 : 503).send(health);
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

export default healthRoutes;
