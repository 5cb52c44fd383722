import type { ApiToken, Db, Organiser } from './database.ts';

/** What an organiser's list of API tokens shows; never the secret's digest. */
export type ApiTokenView = Pick<ApiToken, 'id' | 'name' | 'created_at' | 'last_used_at' | 'expires_at'>;

/** A token found by its secret's digest, with the organiser it acts for. */
export interface ApiTokenWithOrganiser {
  readonly token: Pick<ApiToken, 'id' | 'last_used_at' | 'expires_at'>;
  readonly organiser: Organiser;
}

const viewColumns = ['id', 'name', 'created_at', 'last_used_at', 'expires_at'] as const;

/** Stores a new API token (its hash) for an organiser. */
export function insertApiToken(
  db: Db,
  values: { organiserId: string; name: string; tokenHash: string; expiresAt: Date | null },
): Promise<ApiTokenView> {
  return db
    .insertInto('organiser_api_tokens')
    .values({ organiser_id: values.organiserId, name: values.name, token_hash: values.tokenHash, expires_at: values.expiresAt })
    .returning(viewColumns)
    .executeTakeFirstOrThrow();
}

/** An organiser's API tokens, newest first; never the secret. */
export function listApiTokens(db: Db, organiserId: string): Promise<ApiTokenView[]> {
  return db
    .selectFrom('organiser_api_tokens')
    .select(viewColumns)
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

/** The token whose secret has this digest, and its organiser, expired or not (the caller decides). */
export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenWithOrganiser | undefined> {
  const row = await db
    .selectFrom('organiser_api_tokens as t')
    .innerJoin('organisers as o', 'o.id', 't.organiser_id')
    .selectAll('o')
    .select(['t.id as token_id', 't.last_used_at as token_last_used_at', 't.expires_at as token_expires_at'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const { token_id, token_last_used_at, token_expires_at, ...organiser } = row;
  return { token: { id: token_id, last_used_at: token_last_used_at, expires_at: token_expires_at }, organiser };
}

/** Notes that a token was used at `now`. */
export async function touchApiToken(db: Db, tokenId: string, now: Date): Promise<void> {
  await db.updateTable('organiser_api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}
