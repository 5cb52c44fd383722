import type { ChorusContext } from '../../chorus-context.ts';
import type { Organiser } from '../../storage/database.ts';
import { findOrganiserByEmail } from '../../storage/organiser.repository.ts';
import { hasConfirmedSecondFactor } from '../../storage/second-factor.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { isStorableText } from '../../domain/storable-text.ts';
import { standingRefusal } from '../../domain/organiser-role.ts';

/** Where a right password leads: signed in, or on to the code step when the organiser has two-factor sign-in on. */
export type SignInStep =
  { readonly step: 'signed-in'; readonly organiser: Organiser } | { readonly step: 'second-factor'; readonly organiserId: string };

/**
 * The password step of signing in, for the API and the pages alike. Every attempt makes exactly one
 * argon2 check (through `ctx.passwords`, which a test can count), an unknown email's against the
 * hasher's `unknownEmailHash`, made at the same cost, and every failure gets the same answer, so
 * neither the answer nor its time tells anyone which emails have accounts. Whether the organiser
 * has a second factor is read only after their password matched. An email holding a character the text
 * rule refuses is invalid on `email`: no account can have it, and Postgres refuses NUL.
 */
export async function signInOrganiser(
  ctx: Pick<ChorusContext, 'db' | 'passwords'>,
  credentials: { email: string; password: string },
): Promise<Outcome<SignInStep>> {
  if (!isStorableText(credentials.email)) return invalid('give the email address you signed up with', 'email');
  const organiser = await findOrganiserByEmail(ctx.db, credentials.email.trim());
  const matches = await ctx.passwords.verify(organiser?.password_hash ?? ctx.passwords.unknownEmailHash, credentials.password);
  if (organiser === undefined || !matches) return { kind: 'unauthenticated', message: 'email or password is wrong' };
  // Told only to whoever knows the password: the account exists but may not sign in now.
  const refusal = standingRefusal(organiser.standing);
  if (refusal !== null) return { kind: 'forbidden', message: refusal };
  if (await hasConfirmedSecondFactor(ctx.db, organiser.id)) return done({ step: 'second-factor', organiserId: organiser.id });
  return done({ step: 'signed-in', organiser });
}
