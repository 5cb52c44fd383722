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
      // Closed pools' connections take a moment to leave; forcing them out early makes their clients report errors.
      for (let i = 0; i < 50; i++) {
        const open = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (open.rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
