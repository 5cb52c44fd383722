// Reading: requests per second and p99 of a campaign's public numbers at N pledges, against a
// bare Fastify route returning a constant, both loaded from this (second) process.
import { freePort } from '../test/support/free-port.ts';
import { createDatabase } from '../src/storage/database.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { loadUrl, median, type LoadFigures } from './support/load.ts';
import { seedCampaign } from './support/seed-campaign.ts';

const args = intArgs({ pledges: 1_000_000, connections: 50, seconds: 5, rounds: 3 });
const database = await createBenchDatabase();
try {
  const db = createDatabase(database.url, { max: 2 });
  const seeding = Date.now();
  const { slug } = await seedCampaign(db, { pledges: args.pledges, launchAt: new Date(Date.now() + 30 * 86_400_000) });
  const seedSeconds = (Date.now() - seeding) / 1000;
  await db.destroy();

  const port = await freePort();
  const api = await startChild(
    'src/api.ts',
    chorusEnvironment(database.url, port),
    answers(`http://127.0.0.1:${port}/api/v1/openapi.json`),
  );
  const numbersUrl = `http://127.0.0.1:${port}/api/v1/public/campaigns/${slug}`;
  // The ceiling answers the same document, so the two differ only in the work behind them.
  const document = await (await fetch(numbersUrl)).text();
  const ceilingPort = await freePort();
  const ceilingServer = await startChild('bench/ceilings/constant-server.ts', { PORT: String(ceilingPort), CONSTANT_BODY: document }, (out) =>
    out.includes('listening'),
  );
  // Rounds alternate between the two, so that load from elsewhere on the machine falls on both.
  const rounds: { numbers: LoadFigures; ceiling: LoadFigures }[] = [];
  for (let round = 0; round < args.rounds; round++) {
    const numbers = await loadUrl(numbersUrl, args.connections, args.seconds);
    const ceiling = await loadUrl(`http://127.0.0.1:${ceilingPort}/constant`, args.connections, args.seconds);
    rounds.push({ numbers, ceiling });
  }
  await ceilingServer.stop();
  await api.stop();
  const numbers = median(rounds.map((r) => r.numbers));
  const ceiling = median(rounds.map((r) => r.ceiling));

  report('reading', {
    pledges: args.pledges,
    connections: args.connections,
    seconds: args.seconds,
    seedSeconds,
    numbers,
    ceiling,
    documentBytes: Buffer.byteLength(document),
    ratio: Number((numbers.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
    targets: { ratio: 0.5, p99Ms: 20 },
  });
} finally {
  await database.drop();
}
