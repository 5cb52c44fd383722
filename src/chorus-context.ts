import type { Config } from '../config/config.ts';
import { openQueues, type ChorusQueues } from './jobs/queues.ts';
import type { NetworkId } from './networks/network-id.ts';
import type { SocialNetwork } from './networks/social-network.ts';
import { createXNetwork } from './networks/x/x-network.ts';
import { tokenCipherFromConfig, type TokenCipher } from './security/token-cipher.ts';
import { createDatabase, type Db } from './storage/database.ts';

/** The long-lived parts that the API and the worker share, built once from configuration. */
export interface ChorusContext {
  readonly config: Config;
  readonly db: Db;
  readonly cipher: TokenCipher;
  readonly networks: ReadonlyMap<NetworkId, SocialNetwork>;
  readonly queues: ChorusQueues;
  close(): Promise<void>;
}

/** Opens Postgres and Redis connections and sets up each configured network. */
export function createChorusContext(config: Config): ChorusContext {
  const db = createDatabase(config.DATABASE_URL);
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
  return {
    config,
    db,
    cipher: tokenCipherFromConfig(config),
    networks,
    queues,
    async close() {
      await queues.close();
      await db.destroy();
    },
  };
}
