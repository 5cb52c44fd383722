import autocannon from 'autocannon';

/** Requests per second and latency of one load run. */
export interface LoadFigures {
  readonly requestsPerSecond: number;
  /** Every request answered in the run. */
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** Loads one URL with `connections` concurrent clients for `seconds`. */
export async function loadUrl(url: string, connections: number, seconds: number, method: 'GET' | 'POST' = 'GET'): Promise<LoadFigures> {
  const result = await autocannon({ url, connections, duration: seconds, method });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** The round with the median requests per second. */
export function median<T extends LoadFigures>(rounds: readonly T[]): T {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no rounds were run');
  return middle;
}

/** How many times per second `concurrency` loops can run `task` back to back for `seconds`. */
export async function perSecond(concurrency: number, seconds: number, task: () => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await task();
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}
