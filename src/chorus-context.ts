import type { Config } from '../config/config.ts';
import { commaList } from '../config/comma-list.ts';
import { openQueues, type ChorusQueues } from './jobs/queues.ts';
import type { BlueskyOAuth } from './networks/bluesky/bluesky-oauth.ts';
import { blueskyOutline, blueskyRequestTimeoutMs } from './networks/bluesky/bluesky-outline.ts';
import { loadOnFirstUse } from './networks/load-on-first-use.ts';
import { createNetworkRegistry, type NetworkEntry, type NetworkRegistry } from './networks/network-registry.ts';
import { linkedInOutline } from './networks/linkedin/linkedin-outline.ts';
import { mastodonOutline } from './networks/mastodon/mastodon-outline.ts';
import { xOutline } from './networks/x/x-outline.ts';
import { createPasswordHasher, type PasswordHasher } from './security/password.ts';
import { tokenCipherFromConfig, type TokenCipher } from './security/token-cipher.ts';
import { createBlueskyOAuthStateRepository } from './storage/bluesky-oauth-state.repository.ts';
import { createDatabase, type Db } from './storage/database.ts';
import { createMastodonAppRepository } from './storage/mastodon-app.repository.ts';

/** The long-lived parts that the API and the worker share, built once from configuration. */
export interface ChorusContext {
  readonly config: Config;
  readonly db: Db;
  readonly cipher: TokenCipher;
  /** Organisers' password hashing, at the configured cost (PASSWORD_HASH_COST). */
  readonly passwords: PasswordHasher;
  readonly networks: NetworkRegistry;
  readonly queues: ChorusQueues;
  /** Bluesky's OAuth client, whose metadata and keys Chorus serves (loaded on first use, with the Bluesky network's libraries). */
  blueskyOAuth(): Promise<BlueskyOAuth>;
  close(): Promise<void>;
}

/**
 * Opens Postgres and Redis connections and registers each configured network. A network's module
 * and libraries are imported when it is first loaded (network-registry.ts), so a process only
 * holds the libraries of the networks its campaigns use.
 */
export function createChorusContext(config: Config): ChorusContext {
  const db = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  const queues = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, config.MAIL_RETRY_DELAY_SECONDS * 1000);
  const networks: NetworkEntry[] = [];
  if (config.X_CLIENT_ID !== undefined && config.X_CLIENT_SECRET !== undefined) {
    const x = {
      clientId: config.X_CLIENT_ID,
      clientSecret: config.X_CLIENT_SECRET,
      apiUrl: config.X_API_URL,
      authorizeUrl: config.X_AUTHORIZE_URL,
      requestTimeoutMs: config.NETWORK_REQUEST_TIMEOUT_SECONDS * 1000,
      appPlan: {
        budget: { limit: config.X_APP_POST_BUDGET, windowMs: config.X_APP_POST_BUDGET_WINDOW_SECONDS * 1000 },
        pricePerPost: config.X_POST_PRICE,
        currency: config.PRICE_CURRENCY,
      },
    };
    networks.push({
      outline: xOutline(x.requestTimeoutMs, x.appPlan),
      load: async () => (await import('./networks/x/x-network.ts')).createXNetwork(x),
    });
  }
  const cipher = tokenCipherFromConfig(config);
  // Mastodon needs no credentials: Chorus registers itself on each instance a supporter names.
  const suggestedInstances = commaList(config.MASTODON_SUGGESTED_INSTANCES);
  networks.push({
    outline: mastodonOutline(suggestedInstances),
    load: async () =>
      (await import('./networks/mastodon/mastodon-network.ts')).createMastodonNetwork({
        apps: createMastodonAppRepository(db, cipher),
        instances: { localOrigins: commaList(config.MASTODON_LOCAL_INSTANCES) },
        website: config.PUBLIC_URL,
        suggested: suggestedInstances,
      }),
  });
  // Bluesky needs no credentials either: Chorus is a client identified by its own address.
  const blueskyOAuth = loadOnFirstUse(async () =>
    (await import('./networks/bluesky/bluesky-oauth.ts')).createBlueskyOAuth({
      publicUrl: config.PUBLIC_URL,
      stateStore: createBlueskyOAuthStateRepository(db, cipher),
      localOrigins: commaList(config.BLUESKY_LOCAL_SERVERS),
      plcDirectoryUrl: config.BLUESKY_PLC_URL,
      requestTimeoutMs: blueskyRequestTimeoutMs,
      ...(config.BLUESKY_HANDLE_RESOLVER === undefined ? {} : { handleResolver: config.BLUESKY_HANDLE_RESOLVER }),
      ...(config.BLUESKY_PRIVATE_KEY === undefined ? {} : { privateKeyPem: config.BLUESKY_PRIVATE_KEY }),
    }),
  );
  networks.push({
    outline: blueskyOutline,
    load: async () => (await import('./networks/bluesky/bluesky-network.ts')).createBlueskyNetwork(await blueskyOAuth()),
  });
  if (config.LINKEDIN_CLIENT_ID !== undefined && config.LINKEDIN_CLIENT_SECRET !== undefined) {
    const linkedIn = {
      clientId: config.LINKEDIN_CLIENT_ID,
      clientSecret: config.LINKEDIN_CLIENT_SECRET,
      apiUrl: config.LINKEDIN_API_URL,
      authorizeUrl: config.LINKEDIN_AUTHORIZE_URL,
      apiVersion: config.LINKEDIN_API_VERSION,
    };
    networks.push({
      outline: linkedInOutline,
      load: async () => (await import('./networks/linkedin/linkedin-network.ts')).createLinkedInNetwork(linkedIn),
    });
  }
  return {
    config,
    db,
    cipher,
    passwords: createPasswordHasher(config.PASSWORD_HASH_COST),
    networks: createNetworkRegistry(networks),
    queues,
    blueskyOAuth,
    async close() {
      await queues.close();
      await db.destroy();
    },
  };
}
