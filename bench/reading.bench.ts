// Reading: requests per second and p99 of a campaign's public numbers (JSON) and of its public
// page (HTML) at N pledges, each against a bare Fastify route returning the same document as a
// constant, all loaded from this (second) process.
import { freePort } from '../test/support/free-port.ts';
import { createDatabase } from '../src/storage/database.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild, type RunningChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { loadUrl, median, type LoadFigures } from './support/load.ts';
import { seedCampaign } from './support/seed-campaign.ts';

/** One load run, with the CPU the server spent on each request answered (in microseconds). */
type Measured = LoadFigures & { readonly cpuMicrosPerRequest: number };

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

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
  const pageUrl = `http://127.0.0.1:${port}/c/${slug}`;
  // The ceiling answers the same documents, so the two differ only in the work behind them.
  const json = await (await fetch(numbersUrl)).text();
  const html = await (await fetch(pageUrl, { headers: { accept: 'text/html' } })).text();
  const ceilingPort = await freePort();
  const ceilingServer = await startChild(
    'bench/ceilings/constant-server.ts',
    { PORT: String(ceilingPort), CONSTANT_JSON: json, CONSTANT_HTML: html },
    (out) => out.includes('listening'),
  );
  // A short load on each first, so that no side is measured while its code is still being compiled.
  for (const url of [numbersUrl, pageUrl, `http://127.0.0.1:${ceilingPort}/constant.json`, `http://127.0.0.1:${ceilingPort}/constant.html`])
    await loadUrl(url, args.connections, 1);
  // Rounds alternate between Chorus and the ceiling, so that load from elsewhere on the machine falls on both.
  // Each run also records the server's own CPU per request: on two cores the load generator shares
  // the machine, and when it is the bottleneck both sides answer at its pace and the ratio says little.
  const measure = async (server: RunningChild, url: string): Promise<Measured> => {
    const cpuBefore = server.cpuSeconds();
    const load = await loadUrl(url, args.connections, args.seconds);
    return { ...load, cpuMicrosPerRequest: Math.round(((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, load.requests)) };
  };
  const rounds: { numbers: Measured; numbersCeiling: Measured; page: Measured; pageCeiling: Measured }[] = [];
  for (let round = 0; round < args.rounds; round++) {
    const numbers = await measure(api, numbersUrl);
    const numbersCeiling = await measure(ceilingServer, `http://127.0.0.1:${ceilingPort}/constant.json`);
    const page = await measure(api, pageUrl);
    const pageCeiling = await measure(ceilingServer, `http://127.0.0.1:${ceilingPort}/constant.html`);
    rounds.push({ numbers, numbersCeiling, page, pageCeiling });
  }
  await ceilingServer.stop();
  await api.stop();
  const figures = (chorus: Measured[], ceilingRounds: Measured[], bytes: number) => {
    const measured = median(chorus);
    const ceiling = median(ceilingRounds);
    return {
      ...measured,
      ceiling,
      documentBytes: bytes,
      ratio: Number((measured.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
      // The ceiling's CPU per request over Chorus's: the ratio the two would reach were the server's CPU the only limit.
      cpuRatio: Number(
        (medianOf(ceilingRounds.map((r) => r.cpuMicrosPerRequest)) / medianOf(chorus.map((r) => r.cpuMicrosPerRequest))).toFixed(3),
      ),
    };
  };

  report('reading', {
    pledges: args.pledges,
    connections: args.connections,
    seconds: args.seconds,
    seedSeconds,
    numbers: figures(
      rounds.map((r) => r.numbers),
      rounds.map((r) => r.numbersCeiling),
      Buffer.byteLength(json),
    ),
    page: figures(
      rounds.map((r) => r.page),
      rounds.map((r) => r.pageCeiling),
      Buffer.byteLength(html),
    ),
    targets: { ratio: 0.5, p99Ms: 20 },
  });
} finally {
  await database.drop();
}
