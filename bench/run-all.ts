// `npm run bench`: every benchmark in turn, each printing one line of JSON. Arguments after
// `--` go to each (e.g. `npm run bench -- --pledges 10000`).
import { spawnSync } from 'node:child_process';

const benchmarks = [
  'bench/release.bench.ts',
  'bench/intake.bench.ts',
  'bench/reading.bench.ts',
  'bench/sign-in-flood.bench.ts',
  'bench/share-image.bench.ts',
];
let failed = false;
for (const benchmark of benchmarks) {
  const result = spawnSync(process.execPath, [benchmark, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
