import { verifyPassword } from '../../security/password.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { findOrganiserByEmail } from '../../storage/organiser.repository.ts';
import { hasConfirmedSecondFactor } from '../../storage/second-factor.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { isStorableText } from '../../domain/storable-text.ts';
import { standingRefusal } from '../../domain/organiser-role.ts';

/** Where a right password leads: signed in, or on to the code step when the organiser has two-factor sign-in on. */
export type SignInStep =
  { readonly step: 'signed-in'; readonly organiser: Organiser } | { readonly step: 'second-factor'; readonly organiserId: string };

/** Checks a typed password against a stored argon2 hash. */
export interface PasswordCheck {
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * The password check sign-in runs, once per attempt. An object so that a test can count the
 * checks a sign-in makes through the routes (the same work for an unknown email as for a known one).
 */
export const signInPasswordCheck: PasswordCheck = { verify: verifyPassword };

/**
 * What an unknown email's password is checked against: an argon2id hash of 32 random bytes nobody
 * kept, made with hashPassword's parameters (a test holds them equal), so checking it costs what
 * checking a real account's hash costs. A constant, so no first sign-in pays for making it.
 */
export const unknownEmailHash = '$argon2id$v=19$m=65536,p=1,t=3$BxEwpR9CumsiblbTsVLIrA$oAU6uyV5yIhguQ4rLd8Dggh/ryEqeTsMWrXYEtc+f0I';

/**
 * The password step of signing in, for the API and the pages alike. Every attempt makes exactly one
 * argon2 check, an unknown email's against `unknownEmailHash`, and every failure gets the same
 * answer, so neither the answer nor its time tells anyone which emails have accounts. Whether the
 * organiser has a second factor is read only after their password matched. An email holding a character the text
 * rule refuses is invalid on `email`: no account can have it, and Postgres refuses NUL.
 */
export async function signInOrganiser(
  db: Db,
  credentials: { email: string; password: string },
  passwordCheck: PasswordCheck = signInPasswordCheck,
): Promise<Outcome<SignInStep>> {
  if (!isStorableText(credentials.email)) return invalid('give the email address you signed up with', 'email');
  const organiser = await findOrganiserByEmail(db, credentials.email.trim());
  const matches = await passwordCheck.verify(organiser?.password_hash ?? unknownEmailHash, credentials.password);
  if (organiser === undefined || !matches) return { kind: 'unauthenticated', message: 'email or password is wrong' };
  // Told only to whoever knows the password: the account exists but may not sign in now.
  const refusal = standingRefusal(organiser.standing);
  if (refusal !== null) return { kind: 'forbidden', message: refusal };
  if (await hasConfirmedSecondFactor(db, organiser.id)) return done({ step: 'second-factor', organiserId: organiser.id });
  return done({ step: 'signed-in', organiser });
}
