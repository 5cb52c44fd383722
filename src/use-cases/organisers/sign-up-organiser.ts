import type { ChorusContext } from '../../chorus-context.ts';
import { checkOrganiserSignUp, type OrganiserSignUp } from '../../domain/organiser-account.ts';
import { loadCommonPasswordCheck } from '../../security/common-passwords.ts';
import type { Organiser } from '../../storage/database.ts';
import { insertOrganiser } from '../../storage/organiser.repository.ts';
import { conflict, done, invalidFields, type Outcome } from '../use-case-outcome.ts';

/**
 * Creates an organiser's account after checking its fields (the password by NIST SP 800-63B's
 * rules, src/domain/password-rules.ts); a conflict on `email` when the address has one already.
 * The name and email are trimmed here, so the API and the pages store the same account for the same typing.
 */
export async function signUpOrganiser(ctx: Pick<ChorusContext, 'db' | 'passwords'>, typed: OrganiserSignUp): Promise<Outcome<Organiser>> {
  const input = { name: typed.name.trim(), email: typed.email.trim(), password: typed.password };
  const problems = checkOrganiserSignUp(input, await loadCommonPasswordCheck());
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const passwordHash = await ctx.passwords.hash(input.password);
  const organiser = await insertOrganiser(ctx.db, { email: input.email, name: input.name, passwordHash });
  if (organiser === 'email-taken') return conflict('an organiser with this email already exists; sign in instead', 'email');
  return done(organiser);
}
