import { randomBytes } from 'node:crypto';
import { isEmailAddress } from '../../domain/organiser-account.ts';
import type { PasswordHasher } from '../../security/password.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertOperatorSignInLink } from '../../storage/operator-sign-in-link.repository.ts';
import { insertOrganisationWithOwner } from '../../storage/organisation.repository.ts';
import { findOrganiserByEmail, insertOrganiser, makeOperator } from '../../storage/organiser.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** The prefix of an operator's one-time sign-in token. */
export const OPERATOR_LINK_PREFIX = 'chorus_op';

/** How long a one-time sign-in link printed by `npm run operator:create` works. */
export const OPERATOR_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A new (or promoted) operator, and the one-time link that lets them choose a password. */
export interface CreatedOperator {
  readonly organiserId: string;
  readonly promoted: boolean;
  readonly signInUrl: string;
  readonly expiresAt: Date;
}

/**
 * Makes the account with this email an operator (creating it, with a password nobody knows, when there is none) and
 * a single-use sign-in link, valid for a day and kept only as a hash, where they choose their password; they then
 * turn on two-factor sign-in before anything an operator does.
 */
export async function createOperator(
  db: Db,
  passwords: PasswordHasher,
  publicUrl: string,
  email: string,
  now: Date = new Date(),
): Promise<Outcome<CreatedOperator>> {
  const address = email.trim();
  if (!isEmailAddress(address)) return invalid('give an email address, like name@example.org', 'email');
  let organiserId: string;
  let promoted = false;
  const existing = await findOrganiserByEmail(db, address);
  if (existing === undefined) {
    const name = address.split('@')[0] ?? 'Operator';
    const passwordHash = await passwords.hash(randomBytes(32).toString('base64url'));
    // Every account has an organisation of its own, as one that signs up does (the campaign pages start from it).
    const created = await db.transaction().execute(async (trx) => {
      const inserted = await insertOrganiser(trx, { email: address, name, passwordHash }, { role: 'operator', standing: 'active' });
      if (typeof inserted !== 'string') await insertOrganisationWithOwner(trx, name.slice(0, 200), inserted.id);
      return inserted;
    });
    if (typeof created === 'string') return invalid('an account with this email was created meanwhile; run the command again', 'email');
    organiserId = created.id;
  } else {
    await makeOperator(db, existing.id);
    organiserId = existing.id;
    promoted = true;
  }
  const token = generateSecretToken(OPERATOR_LINK_PREFIX);
  const expiresAt = new Date(now.getTime() + OPERATOR_LINK_LIFETIME_MS);
  await insertOperatorSignInLink(db, { organiserId, tokenHash: hashSecretToken(token), expiresAt });
  return done({
    organiserId,
    promoted,
    signInUrl: `${publicUrl.replace(/\/$/, '')}/operator/welcome?token=${encodeURIComponent(token)}`,
    expiresAt,
  });
}
