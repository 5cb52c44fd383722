import type { ChorusContext } from '../../chorus-context.ts';
import type { Organiser } from '../../storage/database.ts';
import { deleteSecondFactor } from '../../storage/second-factor.repository.ts';
import { done, isProblem, type Outcome } from '../use-case-outcome.ts';
import { checkSecondFactorCode } from './check-second-factor-code.ts';

/**
 * Turns two-factor sign-in off, which takes the password and a code (from the app, or a recovery
 * code): a signed-in browser left open is not enough to weaken the account.
 */
export async function turnOffTwoFactor(
  ctx: Pick<ChorusContext, 'db' | 'cipher' | 'passwords'>,
  organiser: Pick<Organiser, 'id' | 'password_hash'>,
  proof: { password: string; code: string },
  now = new Date(),
): Promise<Outcome<null>> {
  if (!(await ctx.passwords.verify(organiser.password_hash, proof.password)))
    return { kind: 'unauthenticated', message: 'that is not your password', field: 'password' };
  const checked = await checkSecondFactorCode(ctx.db, ctx.cipher, organiser.id, proof.code, now);
  if (isProblem(checked)) return checked;
  await deleteSecondFactor(ctx.db, organiser.id);
  return done(null);
}
