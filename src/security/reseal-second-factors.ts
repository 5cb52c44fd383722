import type { Db } from '../storage/database.ts';
import { listSecondFactorsSealedWithout, resealSecondFactor } from '../storage/second-factor.repository.ts';
import type { TokenCipher } from './token-cipher.ts';

/** What re-sealing organisers' TOTP secrets did. */
export interface SecondFactorResealResult {
  readonly resealed: number;
  /** Secrets no configured key could open: left as they are (their organisers cannot pass the code step until they enrol again). */
  readonly unreadable: number;
}

/**
 * Re-encrypts every organiser's TOTP secret not sealed with the cipher's current key, so a retired
 * token key can be dropped without turning anyone's two-factor sign-in into a locked door.
 */
export async function resealSecondFactors(db: Db, cipher: TokenCipher): Promise<SecondFactorResealResult> {
  let resealed = 0;
  let unreadable = 0;
  for (const row of await listSecondFactorsSealedWithout(db, cipher.keyId)) {
    let secret: string;
    try {
      secret = cipher.decrypt(row.key_id, row.secret);
    } catch {
      unreadable += 1;
      continue;
    }
    const was = { keyId: row.key_id, secret: row.secret };
    if (await resealSecondFactor(db, row.organiser_id, was, { keyId: cipher.keyId, secret: cipher.encrypt(secret) })) resealed += 1;
  }
  return { resealed, unreadable };
}
