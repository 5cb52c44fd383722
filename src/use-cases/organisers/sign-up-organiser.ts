import type { ChorusContext } from '../../chorus-context.ts';
import type { Config } from '../../../config/config.ts';
import { checkOrganiserSignUp, type OrganiserSignUp } from '../../domain/organiser-account.ts';
import { isStorableText } from '../../domain/storable-text.ts';
import { loadCommonPasswordCheck } from '../../security/common-passwords.ts';
import { hashSecretToken } from '../../security/secret-token.ts';
import type { Organiser } from '../../storage/database.ts';
import { insertOrganiser } from '../../storage/organiser.repository.ts';
import { readInstancePolicy, type PolicyDefaults } from '../operators/instance-policy.ts';
import { addOrganisationWithOwner } from '../organisations/add-organisation-with-owner.ts';
import { conflict, done, invalidFields, type Outcome, type Problem } from '../use-case-outcome.ts';

/** What signing up needs beyond the database: the sign-up defaults and whether the first account becomes the operator. */
export type SignUpSettings = PolicyDefaults & Pick<Config, 'FIRST_ACCOUNT_OPERATOR'>;

/** Thrown inside the transaction to roll it back when the account cannot be made (nothing of it is kept). */
class SignUpRefused extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.problem = problem;
  }
}

/**
 * Creates an organiser's account after checking its fields (the password by NIST SP 800-63B's
 * rules, src/domain/password-rules.ts), with an organisation of their own (named as they are) that
 * they own, in one transaction; a conflict on `email` when the address has one already.
 * The name and email are trimmed here, so the API and the pages store the same account for the same typing.
 * The instance's sign-up mode decides the rest: `invitation` needs an unused, unexpired invitation token (used up
 * here), `approval` leaves the account waiting for an operator. The first account of a fresh instance becomes its
 * operator (FIRST_ACCOUNT_OPERATOR), whatever the mode. The new account's `standing` tells the caller which.
 * `clientIp`: where the sign-up came from, for the audit log (null when it did not come through a request).
 */
export async function signUpOrganiser(
  ctx: Pick<ChorusContext, 'db' | 'passwords'>,
  typed: OrganiserSignUp & { readonly invitation?: string },
  settings: SignUpSettings,
  clientIp: string | null = null,
): Promise<Outcome<Organiser>> {
  const input = { name: typed.name.trim(), email: typed.email.trim(), password: typed.password };
  const problems = checkOrganiserSignUp(input, await loadCommonPasswordCheck());
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const policy = await readInstancePolicy(ctx.db, settings);
  const firstAccountOperator = settings.FIRST_ACCOUNT_OPERATOR === 'on';
  let invitation: { tokenHash: string | null } | undefined;
  switch (policy.signUpMode) {
    case 'open':
    case 'approval':
      break;
    case 'invitation':
      invitation = {
        tokenHash:
          typed.invitation === undefined || typed.invitation === '' || !isStorableText(typed.invitation)
            ? null
            : hashSecretToken(typed.invitation),
      };
      break;
  }
  const passwordHash = await ctx.passwords.hash(input.password);
  try {
    const organiser = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await insertOrganiser(
        trx,
        { email: input.email, name: input.name, passwordHash },
        {
          role: 'organiser',
          standing: policy.signUpMode === 'approval' ? 'awaiting_approval' : 'active',
          firstAccountOperator,
          ...(invitation === undefined ? {} : { invitation }),
        },
      );
      if (inserted === 'email-taken')
        throw new SignUpRefused(conflict('an organiser with this email already exists; sign in instead', 'email'));
      if (inserted === 'invitation-needed')
        throw new SignUpRefused(
          invitationProblem('this Chorus takes new organisers by invitation only: open the invitation link an operator sent you'),
        );
      if (inserted === 'invitation-unusable')
        throw new SignUpRefused(invitationProblem('this invitation link has been used or has expired: ask an operator for a new one'));
      const actor = clientIp === null ? { kind: 'system' as const } : { kind: 'organiser' as const, organiserId: inserted.id, clientIp };
      await addOrganisationWithOwner(trx, actor, input.name.slice(0, 200), inserted.id);
      return inserted;
    });
    // The caller signs an active account in; one awaiting approval gets no session (its standing says so).
    return done(organiser);
  } catch (error) {
    if (error instanceof SignUpRefused) return error.problem;
    throw error;
  }
}

function invitationProblem(message: string): Problem {
  return { kind: 'forbidden', message, field: 'invitation' };
}
