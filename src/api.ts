// `npm run api`: the HTTP API alone (run workers with `npm run worker`).
import { readConfigOrExit } from '../config/read-config.ts';
import { buildApp } from './app.ts';
import { createChorusContext } from './chorus-context.ts';
import { closeAppGracefully } from './close-app-gracefully.ts';
import { onShutdownSignal } from './on-shutdown-signal.ts';
import { logOutboundRefusals } from './outbound/log-outbound-refusals.ts';
import { runMigrations } from './storage/run-migrations.ts';

const ctx = createChorusContext(readConfigOrExit());
await runMigrations(ctx.db);
const app = await buildApp(ctx);
logOutboundRefusals(app.log);
await app.listen({ port: ctx.config.PORT, host: ctx.config.HOST });
onShutdownSignal(app.log, async () => {
  await closeAppGracefully(app);
  await ctx.close();
});
