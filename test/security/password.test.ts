import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, passwordHashing, passwordHashingConcurrency } from '../../src/security/password.ts';

const password = 'correct horse battery';
// The production cost: the queue is there for hashes that take a core for a good part of a second.
const production = createPasswordHasher('production');

describe('password hashing', () => {
  it('runs a bounded number of argon2 checks at once, leaving libuv threads for files, and answers every check', async () => {
    const hash = await production.hash(password);
    // argon2id, 64 MiB, 3 passes, on one thread: a hash takes at most one core.
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=3\$/);
    const answered: string[] = [];
    const checks = Array.from({ length: 5 }, (_, index) =>
      production.verify(hash, index === 0 ? password : 'not the password').then((matches) => {
        answered.push(`check ${index}`);
        return matches;
      }),
    );
    // A file read on the thread pool, asked for after every check: it must not wait behind them all.
    const stylesheet = readFile(new URL('../../src/public/chorus.css', import.meta.url)).then(() => answered.push('file'));
    await Promise.resolve();
    expect(passwordHashingConcurrency).toBeLessThanOrEqual(2);
    expect(passwordHashing.activeCount).toBe(passwordHashingConcurrency);
    expect(passwordHashing.pendingCount).toBe(5 - passwordHashingConcurrency);

    expect(await Promise.all(checks)).toEqual([true, false, false, false, false]);
    await stylesheet;
    // The file came back while the first checks ran, long before the last.
    expect(answered.indexOf('file')).toBeLessThanOrEqual(passwordHashingConcurrency);
  });

  it('hashes at the test cost with its own parameters, and checks a hash by the parameters the hash carries', async () => {
    const cheap = createPasswordHasher('test');
    const hash = await cheap.hash(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await cheap.verify(hash, password)).toBe(true);
    expect(await cheap.verify(hash, 'not the password')).toBe(false);
    // A stored production hash still costs, and matches, what it did: the cost is the hash's, not the checker's.
    expect(await cheap.verify(await production.hash(password), password)).toBe(true);
    expect(await cheap.verify('not a hash at all', password)).toBe(false);
  });
});
