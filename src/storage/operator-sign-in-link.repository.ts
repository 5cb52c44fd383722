import type { Db } from './database.ts';

/** Adds a single-use sign-in link for an operator (only its token's hash). */
export async function insertOperatorSignInLink(db: Db, values: { organiserId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('operator_sign_in_links')
    .values({ organiser_id: values.organiserId, token_hash: values.tokenHash, expires_at: values.expiresAt })
    .execute();
}

/** The account a usable link (not used, not expired) is for, without using it up; undefined otherwise. */
export async function findUsableSignInLink(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  const found = await db
    .selectFrom('operator_sign_in_links')
    .select('organiser_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return found?.organiser_id;
}

/** Uses a link up: the account it is for, or undefined when it was used, expired or never existed (one use wins). */
export async function consumeOperatorSignInLink(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  const used = await db
    .updateTable('operator_sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('organiser_id')
    .executeTakeFirst();
  return used?.organiser_id;
}
