import { checkNewPassword } from '../../domain/organiser-account.ts';
import { hashPassword, verifyPassword } from '../../security/password.ts';
import type { Db } from '../../storage/database.ts';
import { replaceOrganiserPassword } from '../../storage/organiser.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
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
  db: Db,
  caller: OrganiserCaller,
  change: PasswordChange,
): Promise<Outcome<{ readonly endedSessions: number }>> {
  if (caller.credential.kind !== 'session')
    return { kind: 'forbidden', message: 'an API token cannot change the password; sign in and change it there' };
  if (!(await verifyPassword(caller.organiser.password_hash, change.currentPassword)))
    return invalid('the current password is wrong', 'currentPassword');
  const problem = checkNewPassword(change.newPassword);
  if (problem !== undefined) return invalid(problem, 'newPassword');
  const endedSessions = await replaceOrganiserPassword(
    db,
    caller.organiser.id,
    await hashPassword(change.newPassword),
    caller.credential.sessionId,
  );
  return done({ endedSessions });
}
