import { createHash, randomBytes } from 'node:crypto';

/** A new random bearer secret (API tokens, supporters' private links); only its hash is stored. */
export function generateSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a bearer secret: a SHA-256 digest, enough for 256-bit random values. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
