import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

declare module 'vitest' {
  interface ProvidedContext {
    adminDatabaseUrl: string;
    /** The database the global setup migrated once; each test file gets a copy. */
    templateDatabase: string;
    redisUrl: string;
    queuePrefix: string;
  }
}

let fileDatabase: ScratchDatabase | undefined;

/** Copies the migrated template into this test file's own database (file-database.setup.ts calls it first). */
export async function createFileDatabase(): Promise<ScratchDatabase> {
  fileDatabase = await copyOfTemplate('chorus_file');
  return fileDatabase;
}

/** This test file's own database, copied from the migrated template before the file's first test. */
export function testDatabaseUrl(): string {
  if (fileDatabase === undefined) throw new Error('this test tier has no database (see vitest.config.ts: only database tiers get one)');
  return fileDatabase.url;
}

/** Another migrated database beside this file's, for a test that must not share one; the caller drops it. */
export function copyOfTemplate(namePrefix: string): Promise<ScratchDatabase> {
  return createScratchDatabase(inject('adminDatabaseUrl'), namePrefix, { template: inject('templateDatabase') });
}
