import { checkOrganiserSignUp, type OrganiserSignUp } from '../../domain/organiser-account.ts';
import { hashPassword } from '../../security/password.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { insertOrganiser } from '../../storage/organiser.repository.ts';
import { conflict, done, invalidFields, type Outcome } from '../use-case-outcome.ts';

/** Creates an organiser's account after checking its fields; a conflict on `email` when the address has one already. */
export async function signUpOrganiser(db: Db, input: OrganiserSignUp): Promise<Outcome<Organiser>> {
  const problems = checkOrganiserSignUp(input);
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const organiser = await insertOrganiser(db, { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
  if (organiser === 'email-taken') return conflict('an organiser with this email already exists; sign in instead', 'email');
  return done(organiser);
}
