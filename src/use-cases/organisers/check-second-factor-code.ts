import { readSecondFactorCode, secondFactorLockedUntil } from '../../domain/second-factor-code.ts';
import { hashRecoveryCode } from '../../security/recovery-codes.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import { totpCodeStep } from '../../security/totp.ts';
import type { Db } from '../../storage/database.ts';
import { acceptTotpStep, findSecondFactor, recordWrongCode, useRecoveryCode } from '../../storage/second-factor.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/**
 * Checks a code an organiser typed against their confirmed second factor and uses it up: a TOTP
 * code's time step is recorded so the same code (or an earlier one) is refused after, and a
 * recovery code is marked used. A wrong code counts toward the lock on the code step. The sign-in
 * code step and turning two-factor sign-in off both go through here.
 */
export async function checkSecondFactorCode(
  db: Db,
  cipher: TokenCipher,
  organiserId: string,
  typed: string,
  now: Date,
): Promise<Outcome<{ used: 'totp' | 'recovery' }>> {
  const factor = await findSecondFactor(db, organiserId);
  if (factor === undefined || factor.confirmed_at === null)
    return { kind: 'conflict', message: 'two-factor sign-in is not on for this account', field: 'code' };
  const lockedUntil = secondFactorLockedUntil({ count: factor.failed_attempts, lastAt: factor.last_failed_at }, now);
  if (lockedUntil !== undefined)
    return {
      kind: 'forbidden',
      message: `too many wrong codes in a row: try again after ${lockedUntil.toISOString().slice(11, 16)} UTC`,
      field: 'code',
    };

  const code = readSecondFactorCode(typed);
  let accepted: boolean;
  switch (code.kind) {
    case 'totp': {
      const step = totpCodeStep(cipher.decrypt(factor.key_id, factor.secret), code.code, now);
      accepted = step !== null && (await acceptTotpStep(db, organiserId, step));
      break;
    }
    case 'recovery':
      accepted = code.code !== '' && (await useRecoveryCode(db, organiserId, hashRecoveryCode(organiserId, code.code)));
      break;
  }
  if (accepted) return done({ used: code.kind });
  await recordWrongCode(db, organiserId, now);
  return {
    kind: 'unauthenticated',
    message: 'that code is not right, or was used already: type the code your app shows now, or an unused recovery code',
    field: 'code',
  };
}
