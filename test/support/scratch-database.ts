import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/storage/database.ts';
import { runMigrations } from '../../src/storage/run-migrations.ts';

/** A migrated database of its own for one test or benchmark run; `drop` removes it. */
export async function createScratchDatabase(adminUrl: string, namePrefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${namePrefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { max: 1 });
  await runMigrations(db);
  await db.destroy();
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
