// `npm run worker`: launch and delivery workers, as their own process. Run as many as you like.
import pino from 'pino';
import { readConfigOrExit } from '../config/read-config.ts';
import { createChorusContext } from '../src/chorus-context.ts';
import { startWorkers } from '../src/jobs/start-workers.ts';
import { logFormatFor, loggerOptions } from '../src/logger-options.ts';
import { onShutdownSignal } from '../src/on-shutdown-signal.ts';
import { logOutboundRefusals } from '../src/outbound/log-outbound-refusals.ts';
import { runMigrations } from '../src/storage/run-migrations.ts';
import { serveWorkerHealth } from '../src/worker-health-server.ts';

const config = readConfigOrExit();
const log = pino(loggerOptions(config.LOG_LEVEL, logFormatFor(config)));
logOutboundRefusals(log);
const ctx = createChorusContext(config);
await runMigrations(ctx.db);
const workers = await startWorkers(ctx, log);
const health = config.WORKER_HEALTH_PORT === undefined ? undefined : await serveWorkerHealth(ctx, config.WORKER_HEALTH_PORT, config.HOST);
log.info('worker ready');
onShutdownSignal(log, async () => {
  health?.close();
  await workers.close();
  await ctx.close();
});
