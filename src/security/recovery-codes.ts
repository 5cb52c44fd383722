import { createHash, randomBytes } from 'node:crypto';

// Lower-case base32: no 0, 1, 8 or 9 to mistake for o, l, b or g. 32 symbols, so a byte's low five bits pick one without bias.
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const symbolsPerCode = 12;

/** How many recovery codes an organiser gets when two-factor sign-in is turned on. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * New recovery codes, written as `abcd-efgh-ijkl`: 60 random bits each, far beyond guessing online,
 * and enough that their SHA-256 hashes (salted with the organiser's id) cannot be reversed offline.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const symbols = [...randomBytes(symbolsPerCode)].map((byte) => alphabet[byte & 31]).join('');
    return symbols.match(/.{4}/g)?.join('-') ?? symbols;
  });
}

/** The stored form of a recovery code: a hash of its letters (spaces, hyphens and case ignored), salted with the organiser's id. */
export function hashRecoveryCode(organiserId: string, typed: string): string {
  const letters = typed.toLowerCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(`${organiserId}:${letters}`).digest('hex');
}
