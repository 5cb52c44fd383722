import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashing, passwordHashingConcurrency, verifyPassword } from '../../src/security/password.ts';

const password = 'correct horse battery';

describe('password hashing', () => {
  it('runs a bounded number of argon2 checks at once, leaving libuv threads for files, and answers every check', async () => {
    const hash = await hashPassword(password);
    // argon2id, 64 MiB, 3 passes, on one thread: a hash takes at most one core.
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=3\$/);
    const answered: string[] = [];
    const checks = Array.from({ length: 5 }, (_, index) =>
      verifyPassword(hash, index === 0 ? password : 'not the password').then((matches) => {
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
});
