// Sign-in flood: the latency of a static file (/static/chorus.css) at a visitors' pace, first on a
// quiet API, then while `--loops` parallel loops send wrong-password sign-ins as fast as they are
// answered. Each password check is an argon2 hash on libuv's thread pool, where file reads run too:
// the figures show whether a flood of sign-ins can starve everything else. The flood is run twice,
// on an API with its rate limits off (RATE_LIMIT_SCALE=0: every attempt reaches argon2, which
// measures the bounded hashing alone) and on one with the default limits (most attempts get 429).
import { freePort } from '../test/support/free-port.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild, type RunningChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';

const args = intArgs({ loops: 16, seconds: 10, rate: 50 });

/** Latency of the static file at `rate` requests a second, in milliseconds, every request waited for to its end. */
interface StaticFigures {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly failed: number;
}

/** What the flooding loops got back, by status, and how many answers a second. */
interface FloodFigures {
  readonly attemptsPerSecond: number;
  readonly statuses: Record<string, number>;
}

/**
 * Asks for `url` at a visitor's pace (`rate` a second, each request on its own, never waiting for the
 * one before) for `seconds`, then waits for every answer: a load tool that stops at the end of its
 * run would drop the slowest requests, which are the ones this measures.
 */
async function staticLatency(url: string, seconds: number): Promise<StaticFigures> {
  const latencies: number[] = [];
  let failed = 0;
  const requests: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0; sent < seconds * args.rate; sent++) {
    const due = started + (sent * 1000) / args.rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const sentAt = performance.now();
    requests.push(
      fetch(url, { signal: AbortSignal.timeout(120_000) })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status === 200) latencies.push(performance.now() - sentAt);
          else failed++;
        })
        .catch(() => {
          failed++;
        }),
    );
  }
  await Promise.all(requests);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(latencies.at(-1) ?? 0), failed };
}

/** The static file's latency while the sign-in loops run, in a process of their own (they start a second before it is measured). */
async function underFlood(apiUrl: string, email: string): Promise<{ static: StaticFigures; signIns: FloodFigures }> {
  const flooder = await startChild(
    'bench/support/sign-in-flooder.ts',
    { API_URL: apiUrl, EMAIL: email, LOOPS: String(args.loops) },
    (out) => out.includes('flooding'),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const measured = await staticLatency(`${apiUrl}/static/chorus.css`, args.seconds);
  await flooder.stop();
  const counted = flooder
    .output()
    .split('\n')
    .find((line) => line.startsWith('{'));
  return { static: measured, signIns: JSON.parse(counted ?? '{}') as FloodFigures };
}

async function startApi(databaseUrl: string, extra: Record<string, string>): Promise<{ api: RunningChild; url: string }> {
  const port = await freePort();
  const api = await startChild(
    'src/api.ts',
    chorusEnvironment(databaseUrl, port, extra),
    answers(`http://127.0.0.1:${port}/api/v1/openapi.json`),
  );
  return { api, url: `http://127.0.0.1:${port}` };
}

const database = await createBenchDatabase();
try {
  const email = 'flooded@example.org';
  const results: Record<string, unknown> = {};
  {
    const { api, url } = await startApi(database.url, { RATE_LIMIT_SCALE: '0' });
    const signedUp = await fetch(`${url}/api/v1/organisers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: 'Flooded', password: 'correct horse battery' }),
    });
    if (signedUp.status !== 201) throw new Error(`sign-up answered ${signedUp.status}`);
    // A short load first, so that nothing is measured while its code is still being compiled.
    await staticLatency(`${url}/static/chorus.css`, 1);
    results.quiet = await staticLatency(`${url}/static/chorus.css`, args.seconds);
    results.floodWithoutLimits = await underFlood(url, email);
    await api.stop();
  }
  {
    const { api, url } = await startApi(database.url, { RATE_LIMIT_SCALE: '1' });
    await staticLatency(`${url}/static/chorus.css`, 1);
    results.floodWithLimits = await underFlood(url, email);
    await api.stop();
  }
  report('sign-in-flood', { loops: args.loops, seconds: args.seconds, staticRate: args.rate, ...results });
} finally {
  await database.drop();
}
