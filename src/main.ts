// `npm start`: the API and the workers in one process. With no X credentials configured it
// also starts the sandbox X network and points Chorus at it, so the whole flow works offline.
// Outside production it also starts a sandbox Mastodon instance (offered to supporters) and,
// with no LinkedIn credentials, a sandbox LinkedIn, and with no SMTP_URL, a sandbox mail server whose page shows
// every mail sent.
import pino from 'pino';
import { readConfigOrExit } from '../config/read-config.ts';
import { buildApp } from './app.ts';
import { createChorusContext } from './chorus-context.ts';
import { startWorkers } from './jobs/start-workers.ts';
import { logFormatFor, loggerOptions } from './logger-options.ts';
import { startLinkedInSandbox } from './networks/linkedin/sandbox/linkedin-sandbox-server.ts';
import { startMastodonSandbox } from './networks/mastodon/sandbox/mastodon-sandbox-server.ts';
import { startXSandbox } from './networks/x/sandbox/x-sandbox-server.ts';
import { startMailSandbox } from './mail/sandbox/mail-sandbox-server.ts';
import { closeAppGracefully } from './close-app-gracefully.ts';
import { onShutdownSignal } from './on-shutdown-signal.ts';
import { logOutboundRefusals } from './outbound/log-outbound-refusals.ts';
import { runMigrations } from './storage/run-migrations.ts';
import { prepareDemoOperator } from './use-cases/operators/prepare-demo-operator.ts';

let config = readConfigOrExit();
const log = pino(loggerOptions(config.LOG_LEVEL, logFormatFor(config)));
logOutboundRefusals(log);
let sandbox: Awaited<ReturnType<typeof startXSandbox>> | undefined;
if (config.X_CLIENT_ID === undefined) {
  const client = { clientId: 'chorus-sandbox', clientSecret: 'chorus-sandbox-secret' };
  sandbox = await startXSandbox({ clients: [client], port: Number(process.env.X_SANDBOX_PORT ?? 4010), host: config.HOST });
  config = {
    ...config,
    X_CLIENT_ID: client.clientId,
    X_CLIENT_SECRET: client.clientSecret,
    X_API_URL: sandbox.url,
    X_AUTHORIZE_URL: sandbox.authorizeUrl,
  };
  log.warn({ sandbox: sandbox.url }, 'no X credentials configured: using the sandbox X network (posts go nowhere real)');
}

const others: { close(): Promise<void> }[] = [];
if (config.NODE_ENV !== 'production') {
  const mastodon = await startMastodonSandbox({ port: Number(process.env.MASTODON_SANDBOX_PORT ?? 4020), host: config.HOST });
  others.push(mastodon);
  config = {
    ...config,
    MASTODON_LOCAL_INSTANCES: [config.MASTODON_LOCAL_INSTANCES, mastodon.origin].filter(Boolean).join(','),
    MASTODON_SUGGESTED_INSTANCES: [mastodon.origin, config.MASTODON_SUGGESTED_INSTANCES].filter(Boolean).join(','),
  };
  log.warn({ instance: mastodon.origin }, 'a sandbox Mastodon instance is running and offered to supporters (posts go nowhere real)');
  if (config.LINKEDIN_CLIENT_ID === undefined) {
    const client = { clientId: 'chorus-sandbox', clientSecret: 'chorus-sandbox-secret' };
    const linkedin = await startLinkedInSandbox({
      clients: [client],
      port: Number(process.env.LINKEDIN_SANDBOX_PORT ?? 4030),
      host: config.HOST,
    });
    others.push(linkedin);
    config = {
      ...config,
      LINKEDIN_CLIENT_ID: client.clientId,
      LINKEDIN_CLIENT_SECRET: client.clientSecret,
      LINKEDIN_API_URL: linkedin.url,
      LINKEDIN_AUTHORIZE_URL: linkedin.authorizeUrl,
    };
    log.warn({ sandbox: linkedin.url }, 'no LinkedIn credentials configured: using the sandbox LinkedIn (posts go nowhere real)');
  }
  if (config.SMTP_URL === undefined) {
    const mail = await startMailSandbox({
      pagePort: Number(process.env.MAIL_SANDBOX_PORT ?? 4040),
      smtpPort: Number(process.env.MAIL_SANDBOX_SMTP_PORT ?? 4025),
      host: config.HOST,
    });
    others.push(mail);
    config = { ...config, SMTP_URL: mail.smtpUrl };
    log.warn(
      { page: mail.pageUrl },
      'no SMTP_URL configured: mail goes to the sandbox mail server, shown on its page (none leaves this machine)',
    );
  }
}

const ctx = createChorusContext(config);
await runMigrations(ctx.db);
if (config.NODE_ENV !== 'production') {
  // Like the sandbox networks: a demo operator so that review, reports and suspensions can be tried at once.
  const demo = await prepareDemoOperator(ctx);
  // Printed on the terminal, not logged: the logs redact passwords, and this one is fresh on every start.
  if (demo.kind === 'done')
    process.stdout.write(
      `\nDemo operator (sandbox only, new on every start): sign in at ${config.PUBLIC_URL}/organiser/sign-in\n` +
        `  email     ${demo.value.email}\n  password  ${demo.value.password}\n` +
        `  two-factor codes from the secret ${demo.value.totpSecret} (an authenticator app, or: oathtool --totp -b ${demo.value.totpSecret})\n\n`,
    );
}
const workers = await startWorkers(ctx, log);
const app = await buildApp(ctx);
await app.listen({ port: config.PORT, host: config.HOST });
log.info(`Chorus is running at ${config.PUBLIC_URL} (API documentation: ${config.PUBLIC_URL}/api/v1/openapi.json)`);

onShutdownSignal(log, async () => {
  await closeAppGracefully(app);
  await workers.close();
  await ctx.close();
  await sandbox?.close();
  await Promise.all(others.map((server) => server.close()));
});
