import type { Config } from '../config/config.ts';
import { commaList } from '../config/comma-list.ts';
import { openQueues, type ChorusQueues } from './jobs/queues.ts';
import type { NetworkId } from './networks/network-id.ts';
import type { SocialNetwork } from './networks/social-network.ts';
import { createBlueskyNetwork, blueskyRequestTimeoutMs } from './networks/bluesky/bluesky-network.ts';
import { createBlueskyOAuth, type BlueskyOAuth } from './networks/bluesky/bluesky-oauth.ts';
import { createLinkedInNetwork } from './networks/linkedin/linkedin-network.ts';
import { createMastodonNetwork } from './networks/mastodon/mastodon-network.ts';
import { createXNetwork } from './networks/x/x-network.ts';
import { tokenCipherFromConfig, type TokenCipher } from './security/token-cipher.ts';
import { createBlueskyOAuthStateRepository } from './storage/bluesky-oauth-state.repository.ts';
import { createDatabase, type Db } from './storage/database.ts';
import { createMastodonAppRepository } from './storage/mastodon-app.repository.ts';

/** The long-lived parts that the API and the worker share, built once from configuration. */
export interface ChorusContext {
  readonly config: Config;
  readonly db: Db;
  readonly cipher: TokenCipher;
  readonly networks: ReadonlyMap<NetworkId, SocialNetwork>;
  readonly queues: ChorusQueues;
  /** Bluesky's OAuth client, whose metadata and keys Chorus serves. */
  readonly bluesky: BlueskyOAuth;
  close(): Promise<void>;
}

/** Opens Postgres and Redis connections and sets up each configured network. */
export function createChorusContext(config: Config): ChorusContext {
  const db = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  const queues = openQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const networks = new Map<NetworkId, SocialNetwork>();
  if (config.X_CLIENT_ID !== undefined && config.X_CLIENT_SECRET !== undefined) {
    networks.set(
      'x',
      createXNetwork({
        clientId: config.X_CLIENT_ID,
        clientSecret: config.X_CLIENT_SECRET,
        apiUrl: config.X_API_URL,
        authorizeUrl: config.X_AUTHORIZE_URL,
        requestTimeoutMs: config.NETWORK_REQUEST_TIMEOUT_SECONDS * 1000,
      }),
    );
  }
  const cipher = tokenCipherFromConfig(config);
  // Mastodon needs no credentials: Chorus registers itself on each instance a supporter names.
  networks.set(
    'mastodon',
    createMastodonNetwork({
      apps: createMastodonAppRepository(db, cipher),
      instances: { localOrigins: commaList(config.MASTODON_LOCAL_INSTANCES) },
      website: config.PUBLIC_URL,
      suggested: commaList(config.MASTODON_SUGGESTED_INSTANCES),
    }),
  );
  // Bluesky needs no credentials either: Chorus is a client identified by its own address.
  const bluesky = createBlueskyOAuth({
    publicUrl: config.PUBLIC_URL,
    stateStore: createBlueskyOAuthStateRepository(db, cipher),
    localOrigins: commaList(config.BLUESKY_LOCAL_SERVERS),
    plcDirectoryUrl: config.BLUESKY_PLC_URL,
    requestTimeoutMs: blueskyRequestTimeoutMs,
    ...(config.BLUESKY_HANDLE_RESOLVER === undefined ? {} : { handleResolver: config.BLUESKY_HANDLE_RESOLVER }),
    ...(config.BLUESKY_PRIVATE_KEY === undefined ? {} : { privateKeyPem: config.BLUESKY_PRIVATE_KEY }),
  });
  networks.set('bluesky', createBlueskyNetwork(bluesky));
  if (config.LINKEDIN_CLIENT_ID !== undefined && config.LINKEDIN_CLIENT_SECRET !== undefined) {
    networks.set(
      'linkedin',
      createLinkedInNetwork({
        clientId: config.LINKEDIN_CLIENT_ID,
        clientSecret: config.LINKEDIN_CLIENT_SECRET,
        apiUrl: config.LINKEDIN_API_URL,
        authorizeUrl: config.LINKEDIN_AUTHORIZE_URL,
        apiVersion: config.LINKEDIN_API_VERSION,
      }),
    );
  }
  return {
    config,
    db,
    cipher,
    networks,
    queues,
    bluesky,
    async close() {
      await queues.close();
      await db.destroy();
    },
  };
}
