import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dumpMigratedSchema, schemaSnapshotPath } from '../../scripts/migrated-schema.ts';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the checked-in schema', () => {
  it('is what the migrations make of an empty database (npm run schema:dump rewrites it)', async () => {
    const migrated = await dumpMigratedSchema(adminUrl);
    const snapshot = await readFile(schemaSnapshotPath, 'utf8');
    // A line diff of the two is printed when they differ.
    expect(migrated, 'schema/schema.sql disagrees with the migrations: run npm run schema:dump').toBe(snapshot);
  });
});
