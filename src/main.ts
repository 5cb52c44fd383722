// `npm start`: the API and the workers in one process. With no X credentials configured it
// also starts the sandbox X network and points Chorus at it, so the whole flow works offline.
import pino from 'pino';
import { readConfigOrExit } from '../config/read-config.ts';
import { buildApp } from './app.ts';
import { createChorusContext } from './chorus-context.ts';
import { startWorkers } from './jobs/start-workers.ts';
import { loggerOptions } from './logger-options.ts';
import { startXSandbox } from './networks/x/sandbox/x-sandbox-server.ts';
import { closeAppGracefully } from './close-app-gracefully.ts';
import { onShutdownSignal } from './on-shutdown-signal.ts';
import { runMigrations } from './storage/run-migrations.ts';

let config = readConfigOrExit();
const log = pino(loggerOptions(config.LOG_LEVEL));
let sandbox: Awaited<ReturnType<typeof startXSandbox>> | undefined;
if (config.X_CLIENT_ID === undefined) {
  const client = { clientId: 'chorus-sandbox', clientSecret: 'chorus-sandbox-secret' };
  sandbox = await startXSandbox({ clients: [client], port: Number(process.env.X_SANDBOX_PORT ?? 4010), host: config.HOST });
  config = { ...config, X_CLIENT_ID: client.clientId, X_CLIENT_SECRET: client.clientSecret, X_API_URL: sandbox.url, X_AUTHORIZE_URL: sandbox.authorizeUrl };
  log.warn({ sandbox: sandbox.url }, 'no X credentials configured: using the sandbox X network (posts go nowhere real)');
}

const ctx = createChorusContext(config);
await runMigrations(ctx.db);
const workers = await startWorkers(ctx, log);
const app = await buildApp(ctx);
await app.listen({ port: config.PORT, host: config.HOST });
log.info(`Chorus is running at ${config.PUBLIC_URL} (API documentation: ${config.PUBLIC_URL}/api/v1/openapi.json)`);

onShutdownSignal(log, async () => {
  await closeAppGracefully(app);
  await workers.close();
  await ctx.close();
  await sandbox?.close();
});
