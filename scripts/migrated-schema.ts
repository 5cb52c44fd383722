import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createScratchDatabase } from '../test/support/scratch-database.ts';

/** Where the checked-in schema lives: what a freshly migrated database holds, as `pg_dump --schema-only` writes it. */
export const schemaSnapshotPath = new URL('../schema/schema.sql', import.meta.url);

/** The schema a fresh install gets: every migration run on an empty database, dumped and normalised. */
export async function dumpMigratedSchema(adminUrl: string): Promise<string> {
  const database = await createScratchDatabase(adminUrl, 'chorus_schema');
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', database.url], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return normaliseDump(stdout);
  } finally {
    await database.drop();
  }
}

// The dump names the versions that made it and (from pg_dump 15.14) a random `\restrict` key: none is the schema.
function normaliseDump(dump: string): string {
  const lines = dump
    .split('\n')
    .filter((line) => !/^-- Dumped (from|by) /.test(line) && !/^\\(un)?restrict /.test(line))
    .join('\n');
  return `${lines.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
