import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { createScratchDatabase } from './support/scratch-database.ts';

// A tier's run migrates one template database (each test file copies it: test/support/file-database.setup.ts) and
// takes its own Redis key prefix, and removes both afterwards.
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const queuePrefix = `chorus-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const template = await createScratchDatabase(adminUrl, 'chorus_template');

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template.name);
  project.provide('redisUrl', redisUrl);
  project.provide('queuePrefix', queuePrefix);

  return async () => {
    await template.drop();
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  };
}
