import { createScratchDatabase } from '../../test/support/scratch-database.ts';

/** A database of its own for one benchmark run, migrated; `drop` removes it. */
export function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'chorus_bench');
}
