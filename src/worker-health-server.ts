import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { ChorusContext } from './chorus-context.ts';
import { pingDatabase } from './storage/ping-database.ts';

/**
 * The worker's own `GET /health`, for a container health check: 200 when Postgres and Redis answer this
 * process, 503 when either does not. It listens only where asked (WORKER_HEALTH_PORT), on HOST.
 */
export async function serveWorkerHealth(ctx: ChorusContext, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') {
      response.writeHead(404).end();
      return;
    }
    void Promise.all([pingDatabase(ctx.db), pingRedis(ctx)]).then(([database, redis]) => {
      const ok = database && redis;
      response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ ok, database, redis }));
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** Whether Redis answers this process within 2 s (BullMQ's connection queues commands while Redis is away). */
async function pingRedis(ctx: ChorusContext): Promise<boolean> {
  const timeout = new Promise<false>((resolve) =>
    setTimeout(() => {
      resolve(false);
    }, 2000).unref(),
  );
  const answered = ctx.queues.deliveries.getWorkersCount().then(
    () => true,
    () => false,
  );
  return Promise.race([answered, timeout]);
}
