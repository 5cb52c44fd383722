// Intake: pledges per second through the real connect and callback routes, sandbox OAuth
// included (consent page, code exchange with PKCE, profile), from concurrent supporters in
// this (second) process, against a bare Fastify route doing one insert into the same Postgres.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { freePort } from '../test/support/free-port.ts';
import { pledgeThroughConsent } from '../test/support/supporter.ts';
import { createDatabase } from '../src/storage/database.ts';
import { recordPledge } from '../src/storage/pledge.repository.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { cpuMicrosPer, cpuSecondsOf } from './support/process-cpu.ts';
import { loadUrl, median, perSecond, type LoadFigures } from './support/load.ts';
import { seedCampaign } from './support/seed-campaign.ts';

// `existing`: supporters the campaign (and Chorus) already has, analysed, as on a Chorus that has
// been running: on tables a few seconds old Postgres has no statistics yet and plans lookups as
// scans of tiny tables, which the first autovacuum (within a minute) corrects.
const args = intArgs({ clients: 50, seconds: 5, rounds: 3, existing: 10_000 });
const client = { X_CLIENT_ID: 'chorus-bench', X_CLIENT_SECRET: 'chorus-bench-secret' };
const database = await createBenchDatabase();
try {
  const db = createDatabase(database.url, { max: 1 });
  const { slug } = await seedCampaign(db, { pledges: args.existing, goal: 1_000_000, launchAt: new Date(Date.now() + 30 * 86_400_000) });
  await db.destroy();

  const sandboxPort = await freePort();
  const sandbox = await startChild(
    'src/networks/x/sandbox/start-x-sandbox.ts',
    { PORT: String(sandboxPort), LOG_LEVEL: 'silent', ...client },
    (out) => out.includes('X sandbox listening'),
  );
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}/`;
  const port = await freePort();
  const api = await startChild(
    'src/api.ts',
    chorusEnvironment(database.url, port, { ...client, X_API_URL: sandboxUrl, X_AUTHORIZE_URL: `${sandboxUrl}i/oauth2/authorize` }),
    answers(`http://127.0.0.1:${port}/api/v1/openapi.json`),
    60_000,
    // e.g. API_NODE_ARGS=--cpu-prof to profile the API under this load.
    (process.env.API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  const ceilingPort = await freePort();
  const ceilingServer = await startChild(
    'bench/ceilings/insert-server.ts',
    { PORT: String(ceilingPort), DATABASE_URL: database.url },
    (out) => out.includes('listening'),
  );

  let supporterNumber = 0;
  let failures = 0;
  const pledgeRound = async (): Promise<LoadFigures> => {
    const deadline = Date.now() + args.seconds * 1000;
    const latencies: number[] = [];
    const supporter = async () => {
      while (Date.now() < deadline) {
        const started = performance.now();
        const answer = await pledgeThroughConsent(`http://127.0.0.1:${port}`, slug, {
          username: `intake_${++supporterNumber}`,
          followers: 10,
        });
        if (answer.status === 201) latencies.push(performance.now() - started);
        else failures++;
      }
    };
    await Promise.all(Array.from({ length: args.clients }, supporter));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    return {
      requestsPerSecond: Math.round(latencies.length / args.seconds),
      requests: latencies.length,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      errors: failures,
      non2xx: 0,
    };
  };

  // The storage step alone, from this process with the API's pool size: the pledge's one
  // statement (share lock, account, pledge, grant, tallies) against the ceiling's one insert.
  const direct = createDatabase(database.url, { max: 10 });
  const { campaignId } = await seedCampaign(direct, { pledges: 0, goal: 1_000_000, launchAt: new Date(Date.now() + 30 * 86_400_000) });
  let directNumber = 0;
  const recordOne = async () => {
    const user = `direct_${++directNumber}`;
    const result = await recordPledge(direct, {
      campaignId,
      network: 'x',
      profile: { networkUserId: user, handle: user, displayName: user, followers: 10 },
      text: `Thank you, support workers! https://example.org/ourhealthheroes #OurHealthHeroes ${user}`,
      variantIndex: null,
      credentials: {
        keyId: 'bench',
        accessToken: randomBytes(64),
        refreshToken: randomBytes(64),
        accessExpiresAt: new Date(Date.now() + 7_200_000),
        scopes: 'tweet.write',
      },
      manageTokenHash: randomBytes(32).toString('hex'),
    });
    if (result.kind !== 'created') failures++;
  };
  const insertOne = () => sql`insert into ceiling_inserts default values`.execute(direct);

  // CPU each process spends per pledge (or per insert) in a round: on two cores they all share the CPUs.
  const cpuPer = async <T extends LoadFigures>(
    parts: Record<string, () => number>,
    run: () => Promise<T>,
  ): Promise<T & { cpuMicros: Record<string, number> }> => {
    const clientBefore = process.cpuUsage();
    const before = Object.fromEntries(Object.entries(parts).map(([part, read]) => [part, read()]));
    const figures = await run();
    const clientCpu = process.cpuUsage(clientBefore);
    const spent: Record<string, number> = {
      ...Object.fromEntries(Object.entries(parts).map(([part, read]) => [part, read() - (before[part] ?? 0)])),
      client: (clientCpu.user + clientCpu.system) / 1e6,
    };
    return { ...figures, cpuMicros: cpuMicrosPer(spent, figures.requests) };
  };
  const postgresCpu = () => cpuSecondsOf('postgres');

  const rounds: {
    pledges: LoadFigures & { cpuMicros: Record<string, number> };
    ceiling: LoadFigures & { cpuMicros: Record<string, number> };
    storedPerSecond: number;
    insertedPerSecond: number;
  }[] = [];
  for (let round = 0; round < args.rounds; round++) {
    const pledges = await cpuPer({ api: () => api.cpuSeconds(), sandbox: () => sandbox.cpuSeconds(), postgres: postgresCpu }, pledgeRound);
    const ceiling = await cpuPer({ server: () => ceilingServer.cpuSeconds(), postgres: postgresCpu }, () =>
      loadUrl(`http://127.0.0.1:${ceilingPort}/insert`, args.clients, args.seconds, 'POST'),
    );
    const storedPerSecond = await perSecond(args.clients, args.seconds, recordOne);
    const insertedPerSecond = await perSecond(args.clients, args.seconds, insertOne);
    rounds.push({ pledges, ceiling, storedPerSecond, insertedPerSecond });
  }
  await direct.destroy();
  await Promise.all([api.stop(), sandbox.stop(), ceilingServer.stop()]);
  const pledges = median(rounds.map((r) => r.pledges));
  const ceiling = median(rounds.map((r) => r.ceiling));
  const middle = <T>(values: T[], key: (value: T) => number) =>
    key([...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)] as T);
  const stored = middle(rounds, (r) => r.storedPerSecond);
  const inserted = middle(rounds, (r) => r.insertedPerSecond);
  report('intake', {
    clients: args.clients,
    existingPledges: args.existing,
    seconds: args.seconds,
    rounds: args.rounds,
    pledgesPerSecond: pledges.requestsPerSecond,
    pledgeLatency: { p50Ms: pledges.p50Ms, p99Ms: pledges.p99Ms },
    cpuMicrosPerPledge: pledges.cpuMicros,
    failures,
    ceilingInsertsPerSecond: ceiling.requestsPerSecond,
    cpuMicrosPerInsert: ceiling.cpuMicros,
    ratio: Number((pledges.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
    storage: { pledgesPerSecond: stored, ceilingInsertsPerSecond: inserted, ratio: Number((stored / inserted).toFixed(3)) },
    targets: { ratio: 0.8 },
  });
} finally {
  await database.drop();
}
