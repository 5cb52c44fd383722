// `npm run images:import [folder]`: moves campaign images that were kept on disk (the folder
// given, else UPLOAD_DIR, else ./data/uploads) into Postgres. Safe to run again: what is already
// moved is not looked at twice. The files are left where they are.
import { resolve } from 'node:path';
import { loadEnvFile } from '../config/load-env-file.ts';
import { importUploadedImages } from '../src/use-cases/campaigns/import-uploaded-images.ts';
import { createDatabase } from '../src/storage/database.ts';
import { runMigrations } from '../src/storage/run-migrations.ts';

loadEnvFile();
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.error('DATABASE_URL is missing (Postgres connection URL)');
  process.exit(1);
}
const uploadDir = resolve(process.argv[2] ?? process.env.UPLOAD_DIR ?? './data/uploads');
const db = createDatabase(databaseUrl, { max: 1 });
try {
  // The images' table comes with migration 0009; the API applies it at start, but this may run first.
  await runMigrations(db);
  const counts = await importUploadedImages(db, uploadDir);
  console.log(
    `images from ${uploadDir}: ${counts.imported} imported, ${counts.missing} missing, ` +
      `${counts.refused} not a usable image, ${counts.superseded} already replaced by a newer upload`,
  );
  if (counts.imported > 0) console.log(`The files stay in ${uploadDir}; Chorus no longer reads them, so you may remove the folder.`);
} finally {
  await db.destroy();
}
