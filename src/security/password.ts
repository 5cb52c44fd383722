import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import pLimit from 'p-limit';

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

/** The queue every hash and check waits in; its counts tell a test how many run at once and how many wait. */
export const passwordHashing = pLimit(passwordHashingConcurrency);

/**
 * Hashes an organiser's password with argon2id: 64 MiB, 3 passes (the library's defaults, RFC 9106's
 * second recommendation), on one thread rather than the default four. The cost to a guesser is the
 * memory and the passes, not the threads; four threads per hash took both cores of a small server
 * from the event loop (docs/security/rate-limits.md). A hash keeps its own parameters, so those
 * made with four threads still verify (with four).
 */
export function hashPassword(password: string): Promise<string> {
  return passwordHashing(() => argon2.hash(password, { type: argon2.argon2id, parallelism: 1 }));
}

/** Checks a password against its stored argon2 hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await passwordHashing(() => argon2.verify(hash, password));
  } catch {
    return false;
  }
}
