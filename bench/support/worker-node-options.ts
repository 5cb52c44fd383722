import { readFileSync } from 'node:fs';

/**
 * The node options that package.json's `worker` script runs the worker with
 * (`exec node <options> workers/worker.ts`), so a benchmark runs it as operators do.
 */
export function workerNodeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string | undefined>;
  };
  const words = (scripts.worker ?? '').split(/\s+/);
  const node = words.indexOf('node');
  const entry = words.indexOf('workers/worker.ts');
  return node >= 0 && entry > node ? words.slice(node + 1, entry) : [];
}
