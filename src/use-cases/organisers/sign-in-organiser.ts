import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../security/password.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { findOrganiserByEmail } from '../../storage/organiser.repository.ts';
import { isStorableText } from '../../domain/storable-text.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/**
 * The password check sign-in runs, once per attempt. An object so that a test can count the
 * checks a sign-in makes (the same work for an unknown email as for a known one).
 */
export const signInPasswordCheck = { verify: verifyPassword };

// Hashed once per process, on the first sign-in: what an unknown email's password is checked against.
let unknownEmailHash: Promise<string> | undefined;

/**
 * Signs an organiser in by email and password. An unknown email costs the same argon2 check as a
 * wrong password and gets the same answer, so nobody can probe which emails have accounts. An email holding a
 * character the text rule refuses is invalid on `email`: no account can have it, and Postgres refuses NUL.
 */
export async function signInOrganiser(db: Db, credentials: { email: string; password: string }): Promise<Outcome<Organiser>> {
  if (!isStorableText(credentials.email)) return invalid('give the email address you signed up with', 'email');
  const organiser = await findOrganiserByEmail(db, credentials.email.trim());
  unknownEmailHash ??= hashPassword(randomBytes(16).toString('hex'));
  const matches = await signInPasswordCheck.verify(organiser?.password_hash ?? (await unknownEmailHash), credentials.password);
  if (organiser === undefined || !matches) return { kind: 'unauthenticated', message: 'email or password is wrong' };
  return done(organiser);
}
