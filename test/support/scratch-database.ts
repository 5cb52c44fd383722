import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/storage/database.ts';
import { runMigrations } from '../../src/storage/run-migrations.ts';

/** A database of its own for one test run, test file or benchmark; `drop` removes it. */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own: migrated here, or (`template`) copied from a database migrated
 * once, which takes a fraction of the time; the template must have no open connections.
 */
export async function createScratchDatabase(
  adminUrl: string,
  namePrefix: string,
  options: { template?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${namePrefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(options.template === undefined ? `create database ${name}` : `create database ${name} template ${options.template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.template === undefined) {
    const db = createDatabase(url.toString(), { max: 1 });
    await runMigrations(db);
    await db.destroy();
    // Copies of it can be made only once no connection to it is left.
    await connectionsGone(admin, name);
  }
  return {
    name,
    url: url.toString(),
    async drop() {
      // Forcing connections out early makes their clients report errors.
      await connectionsGone(admin, name);
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Waits (up to five seconds) for closed pools' connections to a database to leave, which takes them a moment. */
async function connectionsGone(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const open = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
    if (open.rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
