import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config/config.ts';
import { buildApp } from '../../src/app.ts';
import { createChorusContext, type ChorusContext } from '../../src/chorus-context.ts';
import { startWorkers, type RunningWorkers } from '../../src/jobs/start-workers.ts';
import { startLinkedInSandbox, type RunningLinkedInSandbox } from '../../src/networks/linkedin/sandbox/linkedin-sandbox-server.ts';
import { startMastodonSandbox, type RunningMastodonSandbox } from '../../src/networks/mastodon/sandbox/mastodon-sandbox-server.ts';
import { startXSandbox, type RunningXSandbox } from '../../src/networks/x/sandbox/x-sandbox-server.ts';
import { reservePort } from './free-port.ts';
import { copyOfTemplate, testDatabaseUrl } from './test-database.ts';

export interface TestChorus {
  /** Where the API listens; with `listen: false`, nothing does, and the test asks `app.inject()` instead. */
  readonly url: string;
  /** The Fastify app, for route tests that need no socket (`app.inject()`). */
  readonly app: FastifyInstance;
  readonly sandbox: RunningXSandbox;
  readonly mastodon: RunningMastodonSandbox;
  readonly linkedin: RunningLinkedInSandbox;
  readonly ctx: ChorusContext;
  readonly config: Config;
  /** Starts the workers (tests that only use the API leave them off). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

const sandboxClient = { clientId: 'chorus-test', clientSecret: 'chorus-test-secret' };

/** The configuration a test run uses: its own database and queue prefix, fresh secrets. */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: `${inject('queuePrefix')}-${randomBytes(3).toString('hex')}`,
    PUBLIC_URL: 'http://127.0.0.1:3000',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    // Every test file's Chorus counts its own rate limits (under its own QUEUE_PREFIX), all from
    // 127.0.0.1: ten times the production figures leave room for the files that sign in and
    // pledge often, and keep every limit on. test/routes/rate-limits.test.ts runs them as installed.
    RATE_LIMIT_SCALE: '10',
    // Every test organiser signs up and most sign in: at the production cost (64 MiB, 3 passes, about 0.5 s on
    // a loaded 2-core machine) the hashes alone took most of a minute of `npm test`. The production cost keeps
    // its own tests (test/use-cases/sign-in-organiser.test.ts, test/security/password.test.ts).
    PASSWORD_HASH_COST: 'test',
    // Tests that are not about review publish straight to collecting, and their first organiser is not an operator
    // (who would have to turn on two-factor sign-in first); the operator tests turn both back on.
    CAMPAIGN_REVIEW: 'off',
    FIRST_ACCOUNT_OPERATOR: 'off',
    ...overrides,
  };
}

/**
 * Chorus as `npm start` runs it — API, workers, sandbox X, Mastodon and LinkedIn — on free ports, for one test file.
 * `listen: false`: the app answers `app.inject()` only, for route tests that need no socket.
 * `ownDatabase`: a scratch database of its own, for tests whose X posts must not spend the app-wide post budget
 * that the file's other Chorus keep in the file's database. `logStream`: the API's log is written there (at the
 * environment's LOG_LEVEL) instead of being turned off.
 */
export async function startTestChorus(
  options: { env?: Record<string, string>; ownDatabase?: boolean; logStream?: DestinationStream; listen?: boolean } = {},
): Promise<TestChorus> {
  const database = options.ownDatabase === true ? await copyOfTemplate('chorus_own') : undefined;
  const [sandbox, mastodon, linkedin] = await Promise.all([
    startXSandbox({ clients: [sandboxClient] }),
    startMastodonSandbox(),
    startLinkedInSandbox({ clients: [sandboxClient] }),
  ]);
  const { port, release } = await reservePort();
  const config = loadConfig(
    testEnvironment({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      X_CLIENT_ID: sandboxClient.clientId,
      X_CLIENT_SECRET: sandboxClient.clientSecret,
      X_API_URL: sandbox.url,
      X_AUTHORIZE_URL: sandbox.authorizeUrl,
      MASTODON_LOCAL_INSTANCES: mastodon.origin,
      LINKEDIN_CLIENT_ID: sandboxClient.clientId,
      LINKEDIN_CLIENT_SECRET: sandboxClient.clientSecret,
      LINKEDIN_API_URL: linkedin.url,
      LINKEDIN_AUTHORIZE_URL: linkedin.authorizeUrl,
      ...(database === undefined ? {} : { DATABASE_URL: database.url }),
      ...options.env,
    }),
  );
  const ctx = createChorusContext(config);
  const app = await buildApp(ctx, options.logStream === undefined ? { logger: false } : { logStream: options.logStream });
  await release();
  if (options.listen !== false) await app.listen({ port, host: '127.0.0.1' });
  let workers: RunningWorkers | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    sandbox,
    mastodon,
    linkedin,
    ctx,
    config,
    async startWorkers() {
      workers ??= await startWorkers(ctx, pino({ level: 'silent' }));
    },
    async close() {
      await app.close();
      await workers?.close();
      await ctx.queues.launches.obliterate({ force: true });
      await ctx.queues.deliveries.obliterate({ force: true });
      await ctx.queues.mail.obliterate({ force: true });
      await ctx.queues.webhooks.obliterate({ force: true });
      await ctx.close();
      await Promise.all([sandbox.close(), mastodon.close(), linkedin.close()]);
      await database?.drop();
    },
  };
}
