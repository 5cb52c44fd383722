// Release: N pledges on one campaign, released by real worker processes to the sandbox X server.
// Figures: first post after the launch time, time to the last delivery, posts per second and the
// worker's peak RSS, beside a ceiling measured in the same run: the same number of posts sent by
// a bare loop with the same concurrency straight to the same sandbox server. Runs with the
// sandbox answering at once and after 200 ms a post, unless --latency names one. With --webhooks 1, the campaign's
// organiser has a webhook endpoint (a receiver in this process) asking for every event, so the release also writes and
// sends delivery.sent events from its outcome batches; the receiver's count is reported. --mail P gives P per cent of the
// supporters a confirmed mail address and runs the mail sweep every 5 s against a sandbox mail server, as a launch with
// supporters' mail does: the release must not slow, and the "post is out" mails are written after it (timed).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { loadConfig } from '../config/config.ts';
import { startMailSandbox } from '../src/mail/sandbox/mail-sandbox-server.ts';
import { DELIVERY_QUEUE, redisConnection } from '../src/jobs/queues.ts';
import { createXClient } from '../src/networks/x/x-api-client.ts';
import { tokenCipherFromConfig } from '../src/security/token-cipher.ts';
import { generateWebhookSecret, sealWebhookSecret } from '../src/security/webhook-secret.ts';
import { insertWebhookEndpoint } from '../src/storage/webhook-endpoint.repository.ts';
import { webhookEventTypes } from '../src/domain/webhook-event-type.ts';
import { createDatabase } from '../src/storage/database.ts';
import { freePort } from '../test/support/free-port.ts';
import { sandboxPosts } from '../test/support/sandbox-posts.ts';
import { waitFor } from '../test/support/wait-for.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { startChild, type RunningChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { cpuMicrosPer, cpuSecondsOf } from './support/process-cpu.ts';
import { seedReleasableCampaign } from './support/seed-release.ts';
import { workerNodeOptions } from './support/worker-node-options.ts';

const args = intArgs({ pledges: 100_000, latency: -1, concurrency: 200, workers: 1, lead: 5, webhooks: 0, mail: 0 });
const latencies = args.latency >= 0 ? [args.latency] : [0, 200];
const client = { X_CLIENT_ID: 'chorus-bench', X_CLIENT_SECRET: 'chorus-bench-secret' };

for (const latency of latencies) {
  const database = await createBenchDatabase();
  const sandboxPort = await freePort();
  const sandbox = await startChild(
    'src/networks/x/sandbox/start-x-sandbox.ts',
    { PORT: String(sandboxPort), LOG_LEVEL: 'silent', ...client },
    (out) => out.includes('X sandbox listening'),
  );
  const workers: RunningChild[] = [];
  const mailSandbox = args.mail > 0 ? await startMailSandbox() : undefined;
  try {
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}/`;
    if (latency > 0) {
      // Every post is recorded at once and answered after `latency`, as a real network's round trip.
      await fetch(new URL('__sandbox/faults', sandboxUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seed: 1, rules: [{ fault: { kind: 'slow', delayMs: latency }, probability: 1 }] }),
      });
    }
    // The webhook receiver: answers every request with a 204 at once, and counts them.
    let webhookRequests = 0;
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        webhookRequests += 1;
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverOrigin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const env = chorusEnvironment(database.url, await freePort(), {
      WEBHOOK_LOCAL_ORIGINS: receiverOrigin,
      ...client,
      X_API_URL: sandboxUrl,
      X_AUTHORIZE_URL: `${sandboxUrl}i/oauth2/authorize`,
      DELIVERY_CONCURRENCY: String(args.concurrency),
      DATABASE_POOL_SIZE: '20',
      // A plan large enough for the run: the budget's own behaviour is the fault suite's to test.
      X_APP_POST_BUDGET: String(Math.max(10_000, args.pledges * 2)),
      ...(mailSandbox === undefined ? {} : { SMTP_URL: mailSandbox.smtpUrl, MAIL_SWEEP_SECONDS: '5' }),
    });
    const config = loadConfig(env);
    const db = createDatabase(database.url, { max: 2 });
    const seeding = Date.now();
    const { campaignId, supporters } = await seedReleasableCampaign(db, tokenCipherFromConfig(config), {
      pledges: args.pledges,
      sandboxUrl,
      clientId: client.X_CLIENT_ID,
      launchAt: new Date(Date.now() + 86_400_000),
    });
    const seedSeconds = (Date.now() - seeding) / 1000;
    if (args.webhooks > 0) {
      const campaign = await db
        .selectFrom('campaigns')
        .select(['organiser_id', 'organisation_id'])
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      if (campaign.organiser_id === null) throw new Error('the seeded campaign has no creator');
      await insertWebhookEndpoint(db, {
        organisationId: campaign.organisation_id,
        createdBy: campaign.organiser_id,
        url: `${receiverOrigin}/bench`,
        description: 'bench',
        events: [...webhookEventTypes],
        secret: sealWebhookSecret(tokenCipherFromConfig(config), generateWebhookSecret()),
      });
    }
    // Every (mail)th in a hundred supporters left an address and confirmed it.
    const addresses =
      args.mail === 0
        ? 0
        : Number(
            (
              await sql`insert into supporter_mail_addresses (pledge_id, campaign_id, address, state, confirmed_at, updates_mailed_through)
                select id, campaign_id, 'bench-' || id || '@example.net', 'confirmed', now(), now() from pledges
                where campaign_id = ${campaignId} and abs(hashtext(id::text)) % 100 < ${args.mail}`.execute(db)
            ).numAffectedRows ?? 0n,
          );

    // Workers start before the launch and find it in Postgres, as after any restart.
    const launchAt = new Date(Date.now() + (args.lead + 10) * 1000);
    await db.updateTable('campaigns').set({ launch_at: launchAt }).where('id', '=', campaignId).execute();
    const deliveries = new Queue(DELIVERY_QUEUE, { connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
    // As `npm run worker` runs it, plus WORKER_NODE_ARGS (e.g. --cpu-prof).
    const nodeArgs = [...workerNodeOptions(), ...(process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    for (let i = 0; i < args.workers; i++) workers.push(await startChild('workers/worker.ts', env, () => true, 60_000, nodeArgs));
    await waitFor(
      () => deliveries.getWorkersCount(),
      (count) => count >= args.workers,
      60_000,
    );
    await deliveries.close();

    // CPU each part spends per post, from the launch time on: on a machine this size they share the cores.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, launchAt.getTime() - Date.now())));
    const cpuAtLaunch = {
      worker: workers.reduce((sum, w) => sum + w.cpuSeconds(), 0),
      sandbox: sandbox.cpuSeconds(),
      postgres: cpuSecondsOf('postgres'),
      redis: cpuSecondsOf('redis-server'),
    };
    const ended = await waitFor(
      () =>
        db
          .selectFrom('campaigns')
          .select(['state', 'ended_at', 'launch_started_at'])
          .where('id', '=', campaignId)
          .executeTakeFirstOrThrow(),
      (c) => c.state === 'launched',
      30 * 60_000,
    );
    const cpuSpent = {
      worker: workers.reduce((sum, w) => sum + w.cpuSeconds(), 0) - cpuAtLaunch.worker,
      sandbox: sandbox.cpuSeconds() - cpuAtLaunch.sandbox,
      postgres: cpuSecondsOf('postgres') - cpuAtLaunch.postgres,
      redis: cpuSecondsOf('redis-server') - cpuAtLaunch.redis,
    };
    // The "post is out" mails: written by the sweep after the launch, in batches.
    const mailsWrittenMs =
      addresses === 0
        ? null
        : await waitFor(
            async () =>
              (
                await db
                  .selectFrom('mail_outbox')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .where('kind', '=', 'supporter-post-out')
                  .executeTakeFirstOrThrow()
              ).n,
            (n) => n >= addresses,
            30 * 60_000,
          ).then(() => Date.now() - (ended.ended_at?.getTime() ?? Date.now()));
    const peakRssMiB = Math.max(...workers.map((w) => w.peakRssMiB()));
    // The last batches' events are on their way: the workers keep sending until every one has its answer.
    const webhookEvents =
      args.webhooks > 0
        ? await waitFor(
            async () => {
              const pending = await db.selectFrom('webhook_deliveries').select('id').where('state', '=', 'pending').limit(1).execute();
              const events = await db
                .selectFrom('webhook_events')
                .select((eb) => eb.fn.countAll<string>().as('n'))
                .executeTakeFirstOrThrow();
              return { pending: pending.length, events: Number(events.n) };
            },
            (state) => state.pending === 0,
            10 * 60_000,
          )
        : { events: 0 };
    await Promise.all(workers.map((w) => w.stop()));
    receiver.close();
    const counts = await db
      .selectFrom('deliveries')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('state')
      .execute();
    // When the first delivery was made and first claimed: with the decision and the first post, where the first post's wait goes.
    const firsts = await db
      .selectFrom('deliveries')
      .select((eb) => [eb.fn.min('created_at').as('created'), eb.fn.min('claimed_at').as('claimed')])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    await db.destroy();

    const posts = (await sandboxPosts(sandboxUrl)).filter((p) => p.text.includes('#OurHealthHeroes'));
    // A loop, not Math.min(...posts): a million arguments overflow the call stack.
    const firstPostMs = posts.reduce((first, p) => Math.min(first, Date.parse(p.createdAt)), Infinity) - launchAt.getTime();
    const lastDeliveryMs = (ended.ended_at?.getTime() ?? Date.now()) - launchAt.getTime();
    const authors = new Set(posts.map((p) => p.authorId)).size;

    const ceiling = await ceilingLoop(
      sandboxUrl,
      sandbox,
      supporters.map((s) => s.accessToken),
      args.concurrency,
    );
    const postsPerSecond = Math.round((posts.length * 1000) / lastDeliveryMs);
    report('release', {
      pledges: args.pledges,
      sandboxLatencyMs: latency,
      concurrency: args.concurrency,
      workers: args.workers,
      mailAddresses: addresses,
      postOutMailsWrittenMsAfterEnd: mailsWrittenMs,
      seedSeconds,
      firstPostMs,
      // Of which: from the launch time to the launch job's goal check (the queue's timer and the job's start).
      launchStartedMs: (ended.launch_started_at?.getTime() ?? Number.NaN) - launchAt.getTime(),
      firstDeliveryMadeMs: new Date(firsts.created).getTime() - launchAt.getTime(),
      firstClaimMs: new Date(firsts.claimed ?? Number.NaN).getTime() - launchAt.getTime(),
      lastDeliveryMs,
      postsPerSecond,
      posted: posts.length,
      distinctAuthors: authors,
      deliveries: Object.fromEntries(counts.map((c) => [c.state, c.n])),
      workerPeakRssMiB: peakRssMiB,
      ...(args.webhooks > 0 ? { webhookEvents: webhookEvents.events, webhookRequests } : {}),
      cpuMicrosPerPost: cpuMicrosPer(cpuSpent, posts.length),
      ceiling,
      ratio: Number((postsPerSecond / ceiling.postsPerSecond).toFixed(3)),
      timeRatio: Number((lastDeliveryMs / ceiling.elapsedMs).toFixed(3)),
      targets: latency === 0 ? { ratio: 0.8, firstPostMs: 250 } : { timeRatio: 1.25 },
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await sandbox.stop();
    await mailSandbox?.close();
    await database.drop();
  }
}

/** The same number of posts, sent straight to the sandbox by `concurrency` loops: what the wire allows. */
async function ceilingLoop(sandboxUrl: string, sandbox: RunningChild, accessTokens: readonly string[], concurrency: number) {
  const run = randomBytes(3).toString('hex');
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const cpuAtStart = { loop: process.cpuUsage(), sandbox: sandbox.cpuSeconds() };
  const loop = async () => {
    for (let i = next++; i < accessTokens.length; i = next++) {
      try {
        await createXClient({ apiUrl: sandboxUrl, accessToken: accessTokens[i] ?? '' }).v2.tweet(`ceiling ${run} ${i}`);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = Math.round(performance.now() - started);
  const loopCpu = process.cpuUsage(cpuAtStart.loop);
  const posts = accessTokens.length - failed;
  return {
    posts,
    failed,
    elapsedMs,
    postsPerSecond: Math.round((posts * 1000) / elapsedMs),
    cpuMicrosPerPost: cpuMicrosPer(
      { loop: (loopCpu.user + loopCpu.system) / 1e6, sandbox: sandbox.cpuSeconds() - cpuAtStart.sandbox },
      posts,
    ),
  };
}
