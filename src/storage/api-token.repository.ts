import type { Db, Organiser } from './database.ts';

/** Stores a new API token (its hash) for an organiser. */
export function insertApiToken(db: Db, organiserId: string, name: string, tokenHash: string) {
  return db
    .insertInto('organiser_api_tokens')
    .values({ organiser_id: organiserId, name, token_hash: tokenHash })
    .returning(['id', 'name', 'created_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
}

/** An organiser's API tokens, newest first; never the secret. */
export function listApiTokens(db: Db, organiserId: string) {
  return db
    .selectFrom('organiser_api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('organiser_id', '=', organiserId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes one of an organiser's tokens; false when it is not theirs or does not exist. */
export async function deleteApiToken(db: Db, organiserId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('organiser_api_tokens')
    .where('organiser_id', '=', organiserId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The organiser an API token belongs to, noting when it was used. */
export async function findOrganiserByApiToken(db: Db, tokenHash: string): Promise<Organiser | undefined> {
  const token = await db
    .updateTable('organiser_api_tokens')
    .set({ last_used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .returning('organiser_id')
    .executeTakeFirst();
  if (token === undefined) return undefined;
  return db.selectFrom('organisers').selectAll().where('id', '=', token.organiser_id).executeTakeFirst();
}
