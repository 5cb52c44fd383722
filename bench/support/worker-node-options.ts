import { readFileSync } from 'node:fs';

/**
 * The node options that package.json's `worker` script runs the worker with
 * (`node <options> --import tsx workers/worker.ts`), so a benchmark runs it as operators do.
 */
export function workerNodeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string | undefined>;
  };
  const words = (scripts.worker ?? '').split(/\s+/);
  const imports = words.indexOf('--import');
  return words[0] === 'node' && imports > 0 ? words.slice(1, imports) : [];
}
