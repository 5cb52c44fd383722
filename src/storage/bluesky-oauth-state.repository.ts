import type { NodeSavedState, NodeSavedStateStore } from '@atproto/oauth-client-node';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from './database.ts';

// A supporter who has not come back from their server within this time starts again.
const stateLifetimeMs = 60 * 60 * 1000;

/** Bluesky sign-ins in progress, kept in Postgres (any API process may take the return) with their DPoP keys encrypted. */
export function createBlueskyOAuthStateRepository(db: Db, cipher: TokenCipher): NodeSavedStateStore {
  return {
    async set(key, state) {
      const values = { key_id: cipher.keyId, value: cipher.encrypt(JSON.stringify(state)), created_at: new Date() };
      await db
        .insertInto('bluesky_oauth_states')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
      // Abandoned sign-ins are cleared as new ones start.
      await db
        .deleteFrom('bluesky_oauth_states')
        .where('created_at', '<', new Date(Date.now() - stateLifetimeMs))
        .execute();
    },
    async get(key) {
      const row = await db
        .selectFrom('bluesky_oauth_states')
        .select(['key_id', 'value'])
        .where('key', '=', key)
        .where('created_at', '>=', new Date(Date.now() - stateLifetimeMs))
        .executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(cipher.decrypt(row.key_id, row.value)) as NodeSavedState);
    },
    async del(key) {
      await db.deleteFrom('bluesky_oauth_states').where('key', '=', key).execute();
    },
  };
}
