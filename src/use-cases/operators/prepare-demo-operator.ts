import { randomBytes } from 'node:crypto';
import type { ChorusContext } from '../../chorus-context.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../../security/recovery-codes.ts';
import { newTotpSecret, totpUri } from '../../security/totp.ts';
import { confirmSecondFactor, deleteSecondFactor, saveUnconfirmedSecondFactor } from '../../storage/second-factor.repository.ts';
import { insertOrganisationWithOwner } from '../../storage/organisation.repository.ts';
import { findOrganiserByEmail, insertOrganiser, makeOperator, setOrganiserPassword } from '../../storage/organiser.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The demo operator's email under `npm start` with the sandbox networks. */
export const DEMO_OPERATOR_EMAIL = 'operator@demo.chorus.invalid';

/** The demo operator's credentials, printed at start like the other sandbox hints (never on a production instance). */
export interface DemoOperator {
  readonly email: string;
  readonly password: string;
  /** The TOTP secret (base32) an authenticator app, or `oathtool --totp -b`, makes the codes from. */
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/**
 * Makes (or resets) the sandbox's demo operator so that the whole story can be tried at once: an operator account
 * with a fresh password and two-factor sign-in already on, with a fresh secret, on every start. Only `npm start`
 * outside production calls it.
 */
export async function prepareDemoOperator(ctx: Pick<ChorusContext, 'db' | 'cipher' | 'passwords'>): Promise<Outcome<DemoOperator>> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await ctx.passwords.hash(password);
  let organiserId: string;
  const existing = await findOrganiserByEmail(ctx.db, DEMO_OPERATOR_EMAIL);
  if (existing === undefined) {
    // With an organisation of its own, as every account has.
    const created = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await insertOrganiser(
        trx,
        { email: DEMO_OPERATOR_EMAIL, name: 'Demo operator', passwordHash },
        { role: 'operator', standing: 'active' },
      );
      if (typeof inserted !== 'string') await insertOrganisationWithOwner(trx, 'Demo operator', inserted.id);
      return inserted;
    });
    if (typeof created === 'string') return { kind: 'conflict', message: 'the demo operator was being made by another process' };
    organiserId = created.id;
  } else {
    organiserId = existing.id;
    await makeOperator(ctx.db, organiserId);
    await setOrganiserPassword(ctx.db, organiserId, passwordHash);
  }
  await deleteSecondFactor(ctx.db, organiserId);
  const totpSecret = newTotpSecret();
  const sealedSecret = ctx.cipher.encrypt(totpSecret);
  await saveUnconfirmedSecondFactor(ctx.db, organiserId, { keyId: ctx.cipher.keyId, secret: sealedSecret });
  const recoveryCodeHashes = newRecoveryCodes().map((code) => hashRecoveryCode(organiserId, code));
  await confirmSecondFactor(ctx.db, organiserId, { sealedSecret, step: 0, recoveryCodeHashes });
  return done({
    email: DEMO_OPERATOR_EMAIL,
    password,
    totpSecret,
    otpauthUri: totpUri(totpSecret, { issuer: 'Chorus demo', account: DEMO_OPERATOR_EMAIL }),
  });
}
