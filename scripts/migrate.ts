// `npm run migrate`: brings the database named by DATABASE_URL up to date.
import { loadConfig } from '../config/config.ts';
import { createDatabase } from '../src/storage/database.ts';
import { runMigrations } from '../src/storage/run-migrations.ts';
import { loadEnvFile } from '../config/load-env-file.ts';

loadEnvFile();
const config = loadConfig();
const db = createDatabase(config.DATABASE_URL, { max: 1 });
try {
  const applied = await runMigrations(db);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.destroy();
}
