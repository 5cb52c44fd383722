// `npm run schema:dump`: rewrites schema/schema.sql from a freshly migrated scratch database.
// Run it after adding a migration and commit the result; the schema snapshot test compares the two.
import { writeFile } from 'node:fs/promises';
import { dumpMigratedSchema, schemaSnapshotPath } from './migrated-schema.ts';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
await writeFile(schemaSnapshotPath, await dumpMigratedSchema(adminUrl));
console.log(`wrote ${schemaSnapshotPath.pathname}`);
