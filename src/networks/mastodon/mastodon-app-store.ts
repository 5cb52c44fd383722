import type { MastodonApp } from './mastodon-api-client.ts';

/** Where the OAuth app registered on each instance is kept (Postgres, with the secret encrypted). */
export interface MastodonAppStore {
  /** The app registered on `origin` for this redirect URI, if any. */
  find(origin: string, redirectUri: string): Promise<MastodonApp | undefined>;
  /** Keeps a newly registered app; when another request kept one first, returns that one. */
  keep(origin: string, redirectUri: string, app: MastodonApp): Promise<MastodonApp>;
}
