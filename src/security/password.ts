import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import pLimit from 'p-limit';

/**
 * How much each password hash costs (`PASSWORD_HASH_COST`): `production` always, `test` only for the test
 * suite, where every test organiser signs up and in (config/config.ts refuses it outside NODE_ENV=test).
 */
export type PasswordHashCost = 'production' | 'test';

/** Hashes organisers' passwords and checks them, at one cost, read once from configuration. */
export interface PasswordHasher {
  readonly cost: PasswordHashCost;
  hash(password: string): Promise<string>;
  /** Checks a password against a stored hash, which carries its own parameters (older hashes keep theirs). */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * What an unknown email's password is checked against: an argon2id hash of 32 random bytes nobody kept,
   * made with this cost's parameters (a test holds them equal to `hash`'s), so checking it costs what checking
   * a real account's hash costs. A constant, so no first sign-in pays for making it.
   */
  readonly unknownEmailHash: string;
}

interface Argon2Cost {
  /** KiB of memory one hash fills. */
  readonly memoryCost: number;
  /** Passes over that memory. */
  readonly timeCost: number;
  readonly unknownEmailHash: string;
}

/**
 * `production`: 64 MiB and 3 passes (the library's defaults, RFC 9106's second recommendation). `test`: 1 MiB
 * and 1 pass, about 1 ms against 300-500 ms on a 2-core machine: still argon2id through the same code, but no
 * cost to a guesser, so never for a real account.
 */
const argon2Costs: Readonly<Record<PasswordHashCost, Argon2Cost>> = {
  production: {
    memoryCost: 65_536,
    timeCost: 3,
    unknownEmailHash: '$argon2id$v=19$m=65536,p=1,t=3$BxEwpR9CumsiblbTsVLIrA$oAU6uyV5yIhguQ4rLd8Dggh/ryEqeTsMWrXYEtc+f0I',
  },
  test: {
    memoryCost: 1024,
    timeCost: 1,
    unknownEmailHash: '$argon2id$v=19$m=1024,p=1,t=1$/pQCnbdz4l1QKfq0GXNX5A$XkXsU+6ceVz3WlQMn2HMvGhk4LJ7euFimfsH4tNyngc',
  },
};

/**
 * How many argon2 hashes run at once in this process. Each runs on libuv's thread pool (4 threads
 * unless UV_THREADPOOL_SIZE says otherwise), where file reads and DNS lookups wait their turn too:
 * unbounded, a flood of sign-ins fills the pool and every static file waits behind the hashes. Half
 * the pool, and half the cores, is left to the rest.
 */
export const passwordHashingConcurrency = Math.max(
  1,
  Math.floor(Math.min(Number(process.env.UV_THREADPOOL_SIZE ?? 4) || 4, availableParallelism()) / 2),
);

/** The queue every hash and check waits in, whatever its cost; its counts tell a test how many run at once and how many wait. */
export const passwordHashing = pLimit(passwordHashingConcurrency);

/**
 * The hasher for a cost: argon2id on one thread rather than the default four. The cost to a guesser is the
 * memory and the passes, not the threads; four threads per hash took both cores of a small server from the
 * event loop (docs/security/rate-limits.md). A hash keeps its own parameters, so those made with four threads
 * still verify (with four).
 */
export function createPasswordHasher(cost: PasswordHashCost): PasswordHasher {
  const { memoryCost, timeCost, unknownEmailHash } = argon2Costs[cost];
  return {
    cost,
    unknownEmailHash,
    hash: (password) => passwordHashing(() => argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost, parallelism: 1 })),
    async verify(hash, password) {
      try {
        return await passwordHashing(() => argon2.verify(hash, password));
      } catch {
        return false;
      }
    },
  };
}
