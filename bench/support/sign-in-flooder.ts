// Run as its own process by bench/sign-in-flood.bench.ts, so that the load it makes is not measured
// as latency of the process probing the static file: LOOPS loops send wrong-password sign-ins for
// EMAIL to API_URL, each as soon as the last is answered, until SIGTERM; then it prints how many
// answers of each status it had, and how many a second, as one line of JSON.
const apiUrl = process.env.API_URL ?? '';
const email = process.env.EMAIL ?? '';
const loops = Number(process.env.LOOPS ?? 16);

let stopped = false;
const statuses: Record<string, number> = {};
const started = performance.now();

async function loop(): Promise<void> {
  while (!stopped) {
    const response = await fetch(`${apiUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'not the password at all' }),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    const status = String(response?.status ?? 'error');
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

process.once('SIGTERM', () => {
  stopped = true;
  const total = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  console.log(JSON.stringify({ attemptsPerSecond: Math.round(total / ((performance.now() - started) / 1000)), statuses }));
  process.exit(0);
});
console.log('flooding');
await Promise.all(Array.from({ length: loops }, loop));
