import type { ChorusContext } from '../../chorus-context.ts';
import { checkNewPassword } from '../../domain/password-rules.ts';
import { loadCommonPasswordCheck } from '../../security/common-passwords.ts';
import { replaceOrganiserPassword } from '../../storage/organiser.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { hasSecondFactor } from './has-second-factor.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** What an organiser types to change their password. */
export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/**
 * Changes the caller's password, given the current one, and ends every other session of theirs (a
 * password changed because it leaked must also shut out whoever used it); the session asking stays.
 * Only a signed-in session may do it: an API token is refused (forbidden).
 */
export async function changeOrganiserPassword(
  ctx: Pick<ChorusContext, 'db' | 'passwords'>,
  caller: OrganiserCaller,
  change: PasswordChange,
): Promise<Outcome<{ readonly endedSessions: number }>> {
  if (caller.credential.kind !== 'session')
    return { kind: 'forbidden', message: 'an API token cannot change the password; sign in and change it there' };
  if (!(await ctx.passwords.verify(caller.organiser.password_hash, change.currentPassword)))
    return invalid('the current password is wrong', 'currentPassword');
  // NIST SP 800-63B: 8 characters are enough only beside a second factor; never a listed or guessable one.
  const problem = checkNewPassword(change.newPassword, {
    hasSecondFactor: await hasSecondFactor(ctx.db, caller.organiser.id),
    isCommonPassword: await loadCommonPasswordCheck(),
    accountWords: [caller.organiser.email, caller.organiser.email.split('@')[0] ?? '', caller.organiser.name],
  });
  if (problem !== undefined) return invalid(problem, 'newPassword');
  const newHash = await ctx.passwords.hash(change.newPassword);
  const endedSessions = await replaceOrganiserPassword(ctx.db, caller.organiser.id, newHash, caller.credential.sessionId);
  return done({ endedSessions });
}
