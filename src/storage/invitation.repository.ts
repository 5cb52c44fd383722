import type { Db, Invitation } from './database.ts';

/** Adds an invitation (only its token's hash). */
export function insertInvitation(db: Db, values: { tokenHash: string; createdBy: string; expiresAt: Date }): Promise<Invitation> {
  return db
    .insertInto('invitations')
    .values({ token_hash: values.tokenHash, created_by: values.createdBy, expires_at: values.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whether an invitation with this hash can still be used (not used, not expired). */
export async function isInvitationUsable(db: Db, tokenHash: string, now: Date): Promise<boolean> {
  const found = await db
    .selectFrom('invitations')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return found !== undefined;
}

/** Invitations not used yet and not expired, newest first. */
export function listOpenInvitations(db: Db, now: Date): Promise<Invitation[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

/** Withdraws an unused invitation; false when there was none. */
export async function deleteInvitation(db: Db, invitationId: string): Promise<boolean> {
  const deleted = await db.deleteFrom('invitations').where('id', '=', invitationId).where('used_at', 'is', null).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
