import type { ChorusContext } from '../../chorus-context.ts';
import { readSecondFactorCode } from '../../domain/second-factor-code.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../../security/recovery-codes.ts';
import { totpCodeStep } from '../../security/totp.ts';
import { confirmSecondFactor, findSecondFactor } from '../../storage/second-factor.repository.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';
import { openSecret } from './two-factor-settings.ts';

/**
 * Turns two-factor sign-in on once the organiser types a code from the secret they added to their
 * app (proof the app makes the right codes), and answers their ten recovery codes: shown this once,
 * kept only as hashes.
 */
export async function confirmTwoFactorEnrolment(
  ctx: Pick<ChorusContext, 'db' | 'cipher'>,
  organiserId: string,
  typedCode: string,
  now = new Date(),
): Promise<Outcome<{ recoveryCodes: string[] }>> {
  const factor = await findSecondFactor(ctx.db, organiserId);
  if (factor === undefined) return conflict('start setting up two-factor sign-in first');
  if (factor.confirmed_at !== null) return conflict('two-factor sign-in is on already');
  const code = readSecondFactorCode(typedCode);
  const step = code.kind === 'totp' ? totpCodeStep(openSecret(ctx.cipher, factor), code.code, now) : null;
  if (step === null) return invalid('that is not the code your app shows now: type the six digits it shows for Chorus', 'code');
  const recoveryCodes = newRecoveryCodes();
  const confirmed = await confirmSecondFactor(ctx.db, organiserId, {
    sealedSecret: factor.secret,
    step,
    recoveryCodeHashes: recoveryCodes.map((recoveryCode) => hashRecoveryCode(organiserId, recoveryCode)),
  });
  if (!confirmed) return conflict('two-factor sign-in was set up again meanwhile: use the newest secret');
  return done({ recoveryCodes });
}
