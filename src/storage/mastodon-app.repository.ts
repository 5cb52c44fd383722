import type { MastodonApp } from '../networks/mastodon/mastodon-api-client.ts';
import type { MastodonAppStore } from '../networks/mastodon/mastodon-app-store.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from './database.ts';

/** The Mastodon apps Chorus registered, one per instance, kept in Postgres with the client secret encrypted. */
export function createMastodonAppRepository(db: Db, cipher: TokenCipher): MastodonAppStore {
  async function find(origin: string, redirectUri: string): Promise<MastodonApp | undefined> {
    const row = await db
      .selectFrom('mastodon_apps')
      .selectAll()
      .where('origin', '=', origin)
      .where('redirect_uri', '=', redirectUri)
      .executeTakeFirst();
    return row === undefined ? undefined : { clientId: row.client_id, clientSecret: cipher.decrypt(row.key_id, row.client_secret) };
  }
  return {
    find,
    async keep(origin, redirectUri, app) {
      const values = {
        redirect_uri: redirectUri,
        client_id: app.clientId,
        key_id: cipher.keyId,
        client_secret: cipher.encrypt(app.clientSecret),
      };
      // A different redirect URI means Chorus moved: the old app cannot send supporters back, so it is replaced.
      await db
        .insertInto('mastodon_apps')
        .values({ origin, ...values })
        .onConflict((oc) => oc.column('origin').doUpdateSet(values).where('mastodon_apps.redirect_uri', '<>', redirectUri))
        .execute();
      return (await find(origin, redirectUri)) ?? app;
    },
  };
}
