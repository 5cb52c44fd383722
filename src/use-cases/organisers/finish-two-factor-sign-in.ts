import type { ChorusContext } from '../../chorus-context.ts';
import type { Organiser } from '../../storage/database.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { isProblem, type Outcome } from '../use-case-outcome.ts';
import { done } from '../use-case-outcome.ts';
import { checkSecondFactorCode } from './check-second-factor-code.ts';

/**
 * The code step of signing in, after the password step found two-factor sign-in on: the organiser
 * whose password matched types a code from their app or a recovery code. Each code signs in once.
 */
export async function finishTwoFactorSignIn(
  ctx: Pick<ChorusContext, 'db' | 'cipher'>,
  organiserId: string,
  typedCode: string,
  now = new Date(),
): Promise<Outcome<Organiser>> {
  const checked = await checkSecondFactorCode(ctx.db, ctx.cipher, organiserId, typedCode, now);
  if (isProblem(checked)) return checked;
  const organiser = await findOrganiserById(ctx.db, organiserId);
  if (organiser === undefined) return { kind: 'unauthenticated', message: 'this account no longer exists' };
  return done(organiser);
}
