import { Migrator } from 'kysely/migration';
import { expect } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { createScratchDatabase } from './scratch-database.ts';
import { testDatabaseUrl } from './test-database.ts';

/** A scratch database taken back to `migrationName`, for a migration's test to fill as an older instance was, then migrate. */
export interface DatabaseAtMigration {
  readonly db: Db;
  readonly migrator: Migrator;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/** Creates a scratch database (named from `namePrefix`) and migrates it down to `migrationName`. */
export async function databaseAtMigration(namePrefix: string, migrationName: string): Promise<DatabaseAtMigration> {
  const admin = new URL(testDatabaseUrl());
  admin.pathname = '/postgres';
  const scratch = await createScratchDatabase(admin.toString(), namePrefix);
  const db = createDatabase(scratch.url, { max: 2 });
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const back = await migrator.migrateTo(migrationName);
  expect(back.error).toBeUndefined();
  return {
    db,
    migrator,
    drop: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}
