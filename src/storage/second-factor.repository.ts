import type { Db, OrganiserSecondFactorsTable } from './database.ts';
import type { Selectable } from 'kysely';

/** An organiser's second factor as stored (its secret still sealed). */
export type StoredSecondFactor = Selectable<OrganiserSecondFactorsTable>;

/** The organiser's second factor, confirmed or still being enrolled; undefined when they have none. */
export function findSecondFactor(db: Db, organiserId: string): Promise<StoredSecondFactor | undefined> {
  return db.selectFrom('organiser_second_factors').selectAll().where('organiser_id', '=', organiserId).executeTakeFirst();
}

/** Whether the organiser has a confirmed second factor. */
export async function hasConfirmedSecondFactor(db: Db, organiserId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organiser_second_factors')
    .select('organiser_id')
    .where('organiser_id', '=', organiserId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Keeps a new, unconfirmed secret for the organiser, replacing an earlier unconfirmed one; false
 * (and nothing written) when their second factor is already confirmed.
 */
export async function saveUnconfirmedSecondFactor(
  db: Db,
  organiserId: string,
  sealed: { keyId: string; secret: Buffer },
): Promise<boolean> {
  const row = await db
    .insertInto('organiser_second_factors')
    .values({ organiser_id: organiserId, key_id: sealed.keyId, secret: sealed.secret })
    .onConflict((conflict) =>
      conflict
        .column('organiser_id')
        .doUpdateSet({ key_id: sealed.keyId, secret: sealed.secret, last_used_step: null, failed_attempts: 0, last_failed_at: null })
        .where('organiser_second_factors.confirmed_at', 'is', null),
    )
    .returning('organiser_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Turns the unconfirmed factor on, recording the step of the code that confirmed it (so that code
 * cannot sign in again) and its recovery codes' hashes, in one transaction; false when there was
 * no unconfirmed factor with this secret (confirmed meanwhile, or replaced by a new enrolment).
 */
export function confirmSecondFactor(
  db: Db,
  organiserId: string,
  confirmation: { sealedSecret: Buffer; step: number; recoveryCodeHashes: readonly string[] },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const confirmed = await trx
      .updateTable('organiser_second_factors')
      .set({ confirmed_at: new Date(), last_used_step: confirmation.step, failed_attempts: 0, last_failed_at: null })
      .where('organiser_id', '=', organiserId)
      .where('confirmed_at', 'is', null)
      .where('secret', '=', confirmation.sealedSecret)
      .returning('organiser_id')
      .executeTakeFirst();
    if (confirmed === undefined) return false;
    await trx.deleteFrom('organiser_recovery_codes').where('organiser_id', '=', organiserId).execute();
    await trx
      .insertInto('organiser_recovery_codes')
      .values(confirmation.recoveryCodeHashes.map((codeHash) => ({ organiser_id: organiserId, code_hash: codeHash })))
      .execute();
    return true;
  });
}

/**
 * Accepts a TOTP code of this time step: only when it is later than the last step accepted, so a
 * code is used once even when two requests bring it at the same moment. Clears the failure count.
 */
export async function acceptTotpStep(db: Db, organiserId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('organiser_second_factors')
    .set({ last_used_step: step, failed_attempts: 0, last_failed_at: null })
    .where('organiser_id', '=', organiserId)
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .returning('organiser_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Uses up one recovery code (once: a second use finds it used) and clears the failure count; false when no unused code has this hash. */
export async function useRecoveryCode(db: Db, organiserId: string, codeHash: string): Promise<boolean> {
  const row = await db
    .with('used', (w) =>
      w
        .updateTable('organiser_recovery_codes')
        .set({ used_at: new Date() })
        .where('organiser_id', '=', organiserId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .returning('organiser_id'),
    )
    .updateTable('organiser_second_factors')
    .set({ failed_attempts: 0, last_failed_at: null })
    .where('organiser_id', 'in', (eb) => eb.selectFrom('used').select('used.organiser_id'))
    .returning('organiser_second_factors.organiser_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Counts one more wrong code in a row. */
export async function recordWrongCode(db: Db, organiserId: string, at: Date): Promise<void> {
  await db
    .updateTable('organiser_second_factors')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), last_failed_at: at }))
    .where('organiser_id', '=', organiserId)
    .execute();
}

/** How many of the organiser's recovery codes are still unused. */
export async function countUnusedRecoveryCodes(db: Db, organiserId: string): Promise<number> {
  const row = await db
    .selectFrom('organiser_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('left'))
    .where('organiser_id', '=', organiserId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.left;
}

/** Removes the organiser's second factor and, with it, their recovery codes. */
export async function deleteSecondFactor(db: Db, organiserId: string): Promise<void> {
  await db.deleteFrom('organiser_second_factors').where('organiser_id', '=', organiserId).execute();
}

/** Second factors whose secret is sealed with a key other than this one (what a key rotation must re-seal). */
export function listSecondFactorsSealedWithout(db: Db, keyId: string) {
  return db.selectFrom('organiser_second_factors').select(['organiser_id', 'key_id', 'secret']).where('key_id', '<>', keyId).execute();
}

/**
 * Replaces a sealed secret with the same secret sealed under another key, only while the row still
 * holds what was read (an enrolment started meanwhile keeps its new secret); false when it changed.
 */
export async function resealSecondFactor(
  db: Db,
  organiserId: string,
  was: { keyId: string; secret: Buffer },
  now: { keyId: string; secret: Buffer },
): Promise<boolean> {
  const row = await db
    .updateTable('organiser_second_factors')
    .set({ key_id: now.keyId, secret: now.secret })
    .where('organiser_id', '=', organiserId)
    .where('key_id', '=', was.keyId)
    .where('secret', '=', was.secret)
    .returning('organiser_id')
    .executeTakeFirst();
  return row !== undefined;
}
