import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { dumpMigratedSchema, schemaSnapshotPath } from '../../scripts/migrated-schema.ts';

describe('the checked-in schema', () => {
  it('is what the migrations make of an empty database (npm run schema:dump rewrites it)', async () => {
    const migrated = await dumpMigratedSchema(inject('adminDatabaseUrl'));
    const snapshot = await readFile(schemaSnapshotPath, 'utf8');
    // A line diff of the two is printed when they differ.
    expect(migrated, 'schema/schema.sql disagrees with the migrations: run npm run schema:dump').toBe(snapshot);
  });
});
