// A setup file of the database tiers: each test file runs on its own copy of the migrated template,
// so files run side by side without seeing each other's rows or spending each other's post budget.
import { afterAll } from 'vitest';
import { createFileDatabase } from './test-database.ts';

const database = await createFileDatabase();
afterAll(async () => {
  await database.drop();
});
