// Intake: pledges per second through the real connect and callback routes, sandbox OAuth
// included (consent page, code exchange with PKCE, profile), from concurrent supporters in
// this (second) process, against a bare Fastify route doing one insert into the same Postgres.
import { freePort } from '../test/support/free-port.ts';
import { pledgeThroughConsent } from '../test/support/supporter.ts';
import { createDatabase } from '../src/storage/database.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { loadUrl, median, type LoadFigures } from './support/load.ts';
import { seedCampaign } from './support/seed-campaign.ts';

const args = intArgs({ clients: 50, seconds: 5, rounds: 3 });
const client = { X_CLIENT_ID: 'chorus-bench', X_CLIENT_SECRET: 'chorus-bench-secret' };
const database = await createBenchDatabase();
try {
  const db = createDatabase(database.url, { max: 1 });
  const { slug } = await seedCampaign(db, { pledges: 0, goal: 1_000_000, launchAt: new Date(Date.now() + 30 * 86_400_000) });
  await db.destroy();

  const sandboxPort = await freePort();
  const sandbox = await startChild('src/networks/x/sandbox/start-x-sandbox.ts', { PORT: String(sandboxPort), LOG_LEVEL: 'silent', ...client }, (out) =>
    out.includes('X sandbox listening'),
  );
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}/`;
  const port = await freePort();
  const api = await startChild(
    'src/api.ts',
    chorusEnvironment(database.url, port, { ...client, X_API_URL: sandboxUrl, X_AUTHORIZE_URL: `${sandboxUrl}i/oauth2/authorize` }),
    answers(`http://127.0.0.1:${port}/api/v1/openapi.json`),
  );
  const ceilingPort = await freePort();
  const ceilingServer = await startChild('bench/ceilings/insert-server.ts', { PORT: String(ceilingPort), DATABASE_URL: database.url }, (out) =>
    out.includes('listening'),
  );

  let supporterNumber = 0;
  let failures = 0;
  const pledgeRound = async (): Promise<LoadFigures> => {
    const deadline = Date.now() + args.seconds * 1000;
    const latencies: number[] = [];
    const supporter = async () => {
      while (Date.now() < deadline) {
        const started = performance.now();
        const answer = await pledgeThroughConsent(`http://127.0.0.1:${port}`, slug, { username: `intake_${++supporterNumber}`, followers: 10 });
        if (answer.status === 201) latencies.push(performance.now() - started);
        else failures++;
      }
    };
    await Promise.all(Array.from({ length: args.clients }, supporter));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    return { requestsPerSecond: Math.round(latencies.length / args.seconds), requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), errors: failures, non2xx: 0 };
  };

  const rounds: { pledges: LoadFigures; ceiling: LoadFigures }[] = [];
  for (let round = 0; round < args.rounds; round++) {
    const pledges = await pledgeRound();
    const ceiling = await loadUrl(`http://127.0.0.1:${ceilingPort}/insert`, args.clients, args.seconds, 'POST');
    rounds.push({ pledges, ceiling });
  }
  await Promise.all([api.stop(), sandbox.stop(), ceilingServer.stop()]);
  const pledges = median(rounds.map((r) => r.pledges));
  const ceiling = median(rounds.map((r) => r.ceiling));
  report('intake', {
    clients: args.clients,
    seconds: args.seconds,
    rounds: args.rounds,
    pledgesPerSecond: pledges.requestsPerSecond,
    pledgeLatency: { p50Ms: pledges.p50Ms, p99Ms: pledges.p99Ms },
    failures,
    ceilingInsertsPerSecond: ceiling.requestsPerSecond,
    ratio: Number((pledges.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
    targets: { ratio: 0.8 },
  });
} finally {
  await database.drop();
}
