import type { ChorusContext } from '../../chorus-context.ts';
import { newTotpSecret } from '../../security/totp.ts';
import type { Organiser } from '../../storage/database.ts';
import { saveUnconfirmedSecondFactor } from '../../storage/second-factor.repository.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { enrolmentOf, type TotpEnrolment } from './two-factor-settings.ts';

/**
 * Starts (or starts again) setting up two-factor sign-in: a new TOTP secret, kept encrypted and
 * unconfirmed until the organiser types back a code from it. A conflict when it is on already.
 */
export async function startTwoFactorEnrolment(
  ctx: Pick<ChorusContext, 'db' | 'cipher' | 'config'>,
  organiser: Pick<Organiser, 'id' | 'email'>,
): Promise<Outcome<TotpEnrolment>> {
  const secret = newTotpSecret();
  const sealed = { keyId: ctx.cipher.keyId, secret: ctx.cipher.encrypt(secret) };
  if (!(await saveUnconfirmedSecondFactor(ctx.db, organiser.id, sealed)))
    return conflict('two-factor sign-in is on already: turn it off first to set up another app');
  return done(enrolmentOf(ctx, organiser, { key_id: sealed.keyId, secret: sealed.secret }));
}
