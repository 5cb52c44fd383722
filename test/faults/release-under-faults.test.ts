import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startXSandbox, type RunningXSandbox } from '../../src/networks/x/sandbox/x-sandbox-server.ts';
import { seededRandom, type XSandboxFaultPlan } from '../../src/networks/x/sandbox/x-sandbox-faults.ts';
import { tokenCipherFromConfig } from '../../src/security/token-cipher.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { pledgesHoldingGrants } from '../support/campaign-grants.ts';
import { freePort } from '../support/free-port.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges, type MintedSupporter } from '../support/seed-pledges.ts';
import { testDatabaseUrl } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { ChorusProcess } from './chorus-process.ts';

// Seeds can be replayed: FAULT_SEEDS=11,23 npm run test:faults
const seeds = (process.env.FAULT_SEEDS ?? '11,23,37').split(',').map(Number);
const pledgesPerCampaign = Number(process.env.FAULT_PLEDGES ?? 300);
const client = { clientId: 'chorus-faults', clientSecret: 'chorus-faults-secret' };

interface PublicNumbers {
  state: string;
  launch: { lateBySeconds: number; late: boolean } | null;
  deliveries: { sent: number; failed: number; pending: number; held: number } | null;
}

describe('the release survives faults, in real API and worker processes', () => {
  let sandbox: RunningXSandbox;
  let db: Db;
  let redis: Redis;
  let env: Record<string, string>;
  let api: ChorusProcess;
  let apiUrl: string;
  const minted: MintedSupporter[] = [];
  const processes: ChorusProcess[] = [];
  const summary: string[] = [];

  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [client], tweetRateLimit: { limit: 1000, windowSeconds: 900 } });
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: `${inject('queuePrefix')}-faults`,
      PORT: String(port),
      PUBLIC_URL: apiUrl,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TOKEN_ENCRYPTION_KEY_ID: 'faults1',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      X_CLIENT_ID: client.clientId,
      X_CLIENT_SECRET: client.clientSecret,
      X_API_URL: sandbox.url,
      X_AUTHORIZE_URL: sandbox.authorizeUrl,
      // Short leases and locks, so that a killed worker's work is taken back within seconds.
      DELIVERY_LEASE_SECONDS: '8',
      JOB_LOCK_SECONDS: '4',
      RECOVERY_SWEEP_SECONDS: '2',
      NETWORK_REQUEST_TIMEOUT_SECONDS: '2',
      SHUTDOWN_GRACE_SECONDS: '8',
      TOKEN_REFRESH_LEAD_SECONDS: '3600',
      TOKEN_REFRESHES_PER_SECOND: '50',
      LOG_LEVEL: 'debug',
    };
    db = createDatabase(env.DATABASE_URL ?? '', { max: 4 });
    redis = new Redis(env.REDIS_URL ?? '');
    api = new ChorusProcess('api', 'src/api.ts', env);
    processes.push(api);
    await api.start('Server listening');
  });

  afterAll(async () => {
    for (const child of processes) await child.stop('SIGKILL');
    await redis.quit();
    await db.destroy();
    await sandbox.close();
    console.log(`fault suite summary:\n${summary.join('\n')}`);
  });

  const setFaults = async (plan: Partial<XSandboxFaultPlan>) => {
    const response = await fetch(new URL('__sandbox/faults', sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 0, rules: [], ...plan }),
    });
    expect(response.status).toBe(200);
  };
  const revoke = (username: string) =>
    fetch(new URL('__sandbox/revoke', sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    });
  const numbers = async (slug: string) => (await (await fetch(`${apiUrl}/api/v1/public/campaigns/${slug}`)).json()) as PublicNumbers;
  const emptyRedis = async (prefix: string) => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  };
  const worker = (name: string, extra: Record<string, string> = {}) => {
    const child = new ChorusProcess(name, 'workers/worker.ts', { ...env, ...extra });
    processes.push(child);
    return child;
  };

  /** A campaign of fresh supporters, seeded straight into Postgres; its launch is moved to `launchInMs` once seeded. */
  async function seedCampaign(tag: string, count: number, options: { expiredShare: number }) {
    const usernames = Array.from({ length: count }, (_, index) => `${tag}_${index}`);
    const expiring = Math.floor(count * options.expiredShare);
    // Some tokens are already expired at the launch: they must be refreshed before they can post.
    const supporters = [
      ...(await mintSupporters(sandbox.url, client.clientId, usernames.slice(0, expiring), 0)),
      ...(await mintSupporters(sandbox.url, client.clientId, usernames.slice(expiring))),
    ];
    minted.push(...supporters);
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 10 * 60_000));
    await seedPledges(
      db,
      tokenCipherFromConfig({
        TOKEN_DECRYPTION_KEYS: '',
        TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY ?? '',
        TOKEN_ENCRYPTION_KEY_ID: 'faults1',
      }),
      campaign,
      supporters,
    );
    return { campaign, supporters };
  }
  const moveLaunch = (campaignId: string, at: Date) =>
    db.updateTable('campaigns').set({ launch_at: at }).where('id', '=', campaignId).execute();

  /** Checks, from the sandbox's own record and from Postgres, that each pledge was posted exactly once or failed with a reason. */
  async function verifyExactlyOnce(campaignId: string, supporters: readonly MintedSupporter[], revoked: ReadonlySet<string>) {
    const posts = await sandboxPosts(sandbox.url);
    const deliveries = await db
      .selectFrom('deliveries')
      .innerJoin('pledges', 'pledges.id', 'deliveries.pledge_id')
      .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
      .select(['deliveries.state', 'deliveries.network_post_id', 'deliveries.failure_reason', 'social_accounts.network_user_id'])
      .where('deliveries.campaign_id', '=', campaignId)
      .execute();
    expect(deliveries).toHaveLength(supporters.length);
    const outcome = { sent: 0, failed: 0 };
    const reasons = new Map<string, number>();
    for (const supporter of supporters) {
      const theirs = posts.filter((post) => post.authorId === supporter.id);
      const delivery = deliveries.find((row) => row.network_user_id === supporter.id);
      expect(theirs.length, `posts from ${supporter.username}`).toBeLessThanOrEqual(1);
      if (delivery?.state === 'sent') {
        outcome.sent += 1;
        expect(
          theirs.map((post) => post.id),
          `post of ${supporter.username}`,
        ).toEqual([delivery.network_post_id]);
      } else {
        outcome.failed += 1;
        expect(delivery?.state, `delivery of ${supporter.username}`).toBe('failed');
        expect(theirs, `posts from failed ${supporter.username}`).toEqual([]);
        expect(delivery?.failure_reason ?? '').not.toBe('');
        reasons.set(delivery?.failure_reason ?? '', (reasons.get(delivery?.failure_reason ?? '') ?? 0) + 1);
      }
      if (revoked.has(supporter.username)) expect(delivery?.failure_reason ?? '').toMatch(/revoked|no longer accepts/);
    }
    expect(await pledgesHoldingGrants(db, campaignId), 'grants left after the launch').toEqual([]);
    return { ...outcome, reasons: [...reasons].map(([reason, count]) => `${count}× ${reason}`) };
  }

  for (const [index, seed] of seeds.entries()) {
    it(`posts every pledge exactly once through faults, SIGKILLs and an emptied Redis (seed ${seed})`, async () => {
      const started = Date.now();
      const random = seededRandom(seed);
      const { campaign, supporters } = await seedCampaign(`s${seed}`, pledgesPerCampaign, { expiredShare: 0.2 });
      const revoked = new Set(supporters.filter((_, i) => i % 60 === 7).map((s) => s.username));
      for (const username of revoked) await revoke(username);
      await setFaults({
        seed,
        rules: [
          { fault: { kind: 'slow', delayMs: 3000 }, probability: 0.03 },
          { fault: { kind: 'rate-limit', resetSeconds: 2 }, probability: 0.04 },
          { fault: { kind: 'server-error-before-post' }, probability: 0.04 },
          { fault: { kind: 'server-error-after-post' }, probability: 0.04 },
          { fault: { kind: 'drop-after-post' }, probability: 0.04 },
        ],
      });

      // A first worker puts the launch job in Redis; then it dies and Redis is emptied.
      const late = index % 2 === 0;
      await moveLaunch(campaign.id, new Date(Date.now() + 60_000));
      const first = worker(`w${seed}-first`);
      await first.start('worker ready');
      await first.stop('SIGKILL');
      await emptyRedis(env.QUEUE_PREFIX ?? '');
      // Either the launch time passed while no worker ran, or it is still ahead.
      await moveLaunch(campaign.id, new Date(Date.now() + (late ? -3000 : 6000)));

      const workers = [worker(`w${seed}-a`), worker(`w${seed}-b`)];
      let kills = 0;
      let terms = 0;
      let refusal: NodeJS.Timeout | undefined;
      let refusalEndsAt = 0;
      try {
        await Promise.all(workers.map((w) => w.start('worker ready')));
        // One refusal of connections, while the release runs.
        const refuseAt = Date.now() + 2000 + random() * 3000;
        refusalEndsAt = refuseAt + 1000;
        refusal = setTimeout(
          () => void setFaults({ seed, rules: [], refuseConnectionsForMs: 1000 }).catch(() => undefined),
          refuseAt - Date.now(),
        );

        const deadline = Date.now() + 150_000;
        for (;;) {
          const state = (await db.selectFrom('campaigns').select('state').where('id', '=', campaign.id).executeTakeFirstOrThrow()).state;
          if (state === 'launched' || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 500 + random() * 2500));
          if (kills + terms >= 5) continue;
          const victim = workers[Math.floor(random() * workers.length)] as ChorusProcess;
          if (kills === 1 && terms === 0) {
            // A graceful stop in the middle of the release: jobs in hand finish or are handed back.
            expect(await victim.stop('SIGTERM')).toBe(0);
            terms += 1;
          } else {
            await victim.stop('SIGKILL');
            kills += 1;
          }
          await new Promise((resolve) => setTimeout(resolve, random() * 1000));
          await victim.start('worker ready');
        }
      } finally {
        clearTimeout(refusal);
        // Leave the sandbox listening again before the next step talks to it.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, refusalEndsAt + 300 - Date.now())));
        await setFaults({ rules: [] });
        for (const w of workers) await w.stop('SIGTERM');
      }
      const final = await numbers(campaign.slug);
      expect(final.state).toBe('launched');
      expect(final.deliveries?.pending).toBe(0);
      if (late) expect(final.launch?.lateBySeconds).toBeGreaterThanOrEqual(3);
      else expect(final.launch?.late).toBe(false);
      const outcome = await verifyExactlyOnce(campaign.id, supporters, revoked);
      expect(outcome.sent).toBeGreaterThan(pledgesPerCampaign * 0.8);
      summary.push(
        `seed ${seed}: ${pledgesPerCampaign} pledges, ${kills} SIGKILLs + ${terms} SIGTERM, launch ${late ? `late by ${final.launch?.lateBySeconds ?? '?'} s` : 'on time'}, ` +
          `${outcome.sent} sent, ${outcome.failed} failed [${outcome.reasons.join('; ')}], ${Math.round((Date.now() - started) / 1000)} s`,
      );
    });
  }

  it('holds posts beyond the app budget and releases them as it renews, the numbers showing how many wait', async () => {
    const started = Date.now();
    await db.deleteFrom('post_budget_spends').execute();
    const { campaign, supporters } = await seedCampaign('budget', 60, { expiredShare: 0 });
    await moveLaunch(campaign.id, new Date(Date.now() + 4000));
    // 40 posts per 24 s, counted in 1-second buckets, for two workers together.
    const budget = { X_APP_POST_BUDGET: '40', X_APP_POST_BUDGET_WINDOW_SECONDS: '24' };
    const workers = [worker('budget-a', budget), worker('budget-b', budget)];
    try {
      await Promise.all(workers.map((w) => w.start('worker ready')));
      await waitFor(
        () => numbers(campaign.slug),
        (n) => n.state === 'launched' || (n.deliveries?.held ?? 0) > 0,
        30_000,
      );
    } catch (error) {
      for (const w of workers) await w.stop('SIGKILL');
      throw error;
    }
    const holding = await waitFor(
      () => numbers(campaign.slug),
      (n) => (n.deliveries?.held ?? 0) > 0,
      30_000,
    );
    expect(holding.deliveries?.sent).toBeLessThanOrEqual(40);
    await waitFor(
      () => numbers(campaign.slug),
      (n) => n.state === 'launched',
      120_000,
    );
    const outcome = await verifyExactlyOnce(campaign.id, supporters, new Set());
    expect(outcome).toMatchObject({ sent: 60, failed: 0 });

    const times = (await sandboxPosts(sandbox.url))
      .filter((post) => supporters.some((s) => s.id === post.authorId))
      .map((post) => Date.parse(post.createdAt))
      .sort((a, b) => a - b);
    // No 22-second span (inside the 24 s window, whatever the bucket edges) holds more than the budget.
    for (const [i, at] of times.entries())
      expect(times.filter((t) => t >= at && t < at + 22_000).length, `posts after post ${i}`).toBeLessThanOrEqual(40);
    for (const w of workers) expect(await w.stop('SIGTERM')).toBe(0);
    summary.push(
      `budget: 60 pledges, budget 40 per 24 s, all sent exactly once, held ${holding.deliveries?.held ?? 0} at one point, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  });

  it('leaves no usable token behind: not in a dump of the database, not in any process output', async () => {
    const held = await db.selectFrom('pledge_credentials').select('pledge_id').execute();
    expect(held).toEqual([]);
    const dump = execFileSync('pg_dump', ['--data-only', env.DATABASE_URL ?? ''], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    const output = processes.map((child) => child.log()).join('\n');
    expect(output).toContain('"msg":"delivery"');
    for (const supporter of minted) {
      expect(
        dump.includes(supporter.accessToken) || dump.includes(supporter.refreshToken),
        `token of ${supporter.username} in the dump`,
      ).toBe(false);
      expect(
        output.includes(supporter.accessToken) || output.includes(supporter.refreshToken),
        `token of ${supporter.username} in the logs`,
      ).toBe(false);
    }
    summary.push(
      `dump: ${Math.round(dump.length / 1024)} KiB, ${minted.length} supporters' tokens searched in it and in ${Math.round(output.length / 1024)} KiB of logs: none found`,
    );
  });

  it("finishes the API's requests in flight on SIGTERM and exits cleanly", async () => {
    const requests = Array.from({ length: 20 }, () =>
      fetch(`${apiUrl}/health`).then(
        (r) => r.status,
        () => 'refused',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const exit = api.stop('SIGTERM');
    const statuses = await Promise.all(requests);
    expect(await exit).toBe(0);
    for (const status of statuses) expect([200, 503, 'refused']).toContain(status);
  });
});
