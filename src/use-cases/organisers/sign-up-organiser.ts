import { checkOrganiserSignUp, type OrganiserSignUp } from '../../domain/organiser-account.ts';
import { loadCommonPasswordCheck } from '../../security/common-passwords.ts';
import { hashPassword } from '../../security/password.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { insertOrganisationWithOwner } from '../../storage/organisation.repository.ts';
import { insertOrganiser } from '../../storage/organiser.repository.ts';
import { recordAudit } from '../organisations/audit-actor.ts';
import { conflict, done, invalidFields, type Outcome } from '../use-case-outcome.ts';

/** Thrown inside the transaction to roll it back when the email is taken (the failed insert ended the transaction). */
class EmailTaken extends Error {}

/**
 * Creates an organiser's account after checking its fields (the password by NIST SP 800-63B's
 * rules, src/domain/password-rules.ts), with an organisation of their own (named as they are) that
 * they own, in one transaction; a conflict on `email` when the address has one already.
 * The name and email are trimmed here, so the API and the pages store the same account for the same typing.
 * `clientIp`: where the sign-up came from, for the audit log (null when it did not come through a request).
 */
export async function signUpOrganiser(db: Db, typed: OrganiserSignUp, clientIp: string | null = null): Promise<Outcome<Organiser>> {
  const input = { name: typed.name.trim(), email: typed.email.trim(), password: typed.password };
  const problems = checkOrganiserSignUp(input, await loadCommonPasswordCheck());
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const passwordHash = await hashPassword(input.password);
  try {
    const organiser = await db.transaction().execute(async (trx) => {
      const inserted = await insertOrganiser(trx, { email: input.email, name: input.name, passwordHash });
      if (inserted === 'email-taken') throw new EmailTaken();
      const organisation = await insertOrganisationWithOwner(trx, input.name.slice(0, 200), inserted.id);
      const actor = clientIp === null ? { kind: 'system' as const } : { kind: 'organiser' as const, organiserId: inserted.id, clientIp };
      await recordAudit(trx, actor, {
        action: 'organisation.created',
        organisationId: organisation.id,
        subjectId: inserted.id,
        changes: { name: organisation.name, owner: inserted.id },
      });
      return inserted;
    });
    return done(organiser);
  } catch (error) {
    if (error instanceof EmailTaken) return conflict('an organiser with this email already exists; sign in instead', 'email');
    throw error;
  }
}
