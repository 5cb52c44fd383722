import type { Db } from '../storage/database.ts';
import type { TokenCipher } from './token-cipher.ts';

/** What a key rotation did. */
export interface ResealResult {
  readonly resealed: number;
  /** Grants no configured key could open (sealed with a key missing from the configuration): left as they are. */
  readonly unreadable: number;
  /** Key ids still found in the table afterwards (empty once the rotation is complete). */
  readonly keyIdsLeft: readonly string[];
}

const batchSize = 200;

/**
 * Re-encrypts every stored grant that is not sealed with the cipher's current key. Each row is
 * locked while it is re-sealed, so a token refresh running at the same time waits for it (and
 * re-reads it) rather than overwriting it.
 */
export async function resealCredentials(db: Db, cipher: TokenCipher): Promise<ResealResult> {
  let resealed = 0;
  let unreadable = 0;
  let cursor = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await db
      .selectFrom('pledge_credentials')
      .select('pledge_id')
      .where('key_id', '<>', cipher.keyId)
      .where('pledge_id', '>', cursor)
      .orderBy('pledge_id')
      .limit(batchSize)
      .execute();
    for (const { pledge_id: pledgeId } of batch) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('pledge_credentials').selectAll().where('pledge_id', '=', pledgeId).forUpdate().executeTakeFirst();
        if (row === undefined || row.key_id === cipher.keyId) return;
        let opened: { accessToken: string; refreshToken: string | null };
        try {
          opened = {
            accessToken: cipher.decrypt(row.key_id, row.access_token),
            refreshToken: row.refresh_token === null ? null : cipher.decrypt(row.key_id, row.refresh_token),
          };
        } catch {
          unreadable += 1;
          return;
        }
        await trx
          .updateTable('pledge_credentials')
          .set({
            key_id: cipher.keyId,
            access_token: cipher.encrypt(opened.accessToken),
            refresh_token: opened.refreshToken === null ? null : cipher.encrypt(opened.refreshToken),
          })
          .where('pledge_id', '=', pledgeId)
          .execute();
        resealed += 1;
      });
    }
    const last = batch.at(-1);
    if (last === undefined) break;
    cursor = last.pledge_id;
  }
  const left = await db.selectFrom('pledge_credentials').select('key_id').distinct().where('key_id', '<>', cipher.keyId).execute();
  return { resealed, unreadable, keyIdsLeft: left.map((row) => row.key_id) };
}
