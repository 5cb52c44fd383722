import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { readTrustProxy } from './trust-proxy.ts';

const base64Key32 = '^[A-Za-z0-9+/]{43}=$';

/** Every setting Chorus reads from its environment, with the rule each must meet. */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'Postgres connection URL' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'Redis connection URL' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  WORKER_HEALTH_PORT: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 65535, description: 'where a worker process answers GET /health (none: it does not listen)' }),
  ),
  HOST: Type.String({ default: '127.0.0.1' }),
  PUBLIC_URL: Type.String({ pattern: '^https?://[^/]+(/.*)?$', description: 'the address supporters reach Chorus at' }),
  // Keeps the queues of several Chorus installs (or test runs) apart on one Redis.
  QUEUE_PREFIX: Type.String({ pattern: '^[a-zA-Z0-9_-]+$', default: 'chorus' }),
  TOKEN_ENCRYPTION_KEY: Type.String({ pattern: base64Key32, description: '32 random bytes, base64 (openssl rand -base64 32)' }),
  TOKEN_ENCRYPTION_KEY_ID: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,32}$', default: 'k1' }),
  TOKEN_DECRYPTION_KEYS: Type.String({
    pattern: '^([a-zA-Z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)?(,[a-zA-Z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$',
    default: '',
    description:
      'retired keys still needed to read older tokens, as id:base64 pairs separated by commas, until `npm run rotate-keys` has re-sealed them',
  }),
  SESSION_SECRET: Type.String({ minLength: 32, description: 'at least 32 characters' }),
  SESSION_IDLE_SECONDS: Type.Integer({
    minimum: 300,
    default: 43_200,
    description: "an organiser's session ends after this long without a request (12 hours)",
  }),
  SESSION_LIFETIME_SECONDS: Type.Integer({
    // The cookie that carries a session also carries a supporter's half-finished pledge (30 minutes).
    minimum: 3600,
    default: 604_800,
    description: "an organiser's session ends this long after sign-in, however busy (7 days)",
  }),
  DASHBOARD_ACCESS_RECHECK_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 10,
    description:
      "how often an open dashboard's live stream checks again that its viewer is still signed in and a member of an organisation in good standing (10 s)",
  }),
  X_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  X_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  X_API_URL: Type.String({ pattern: '^https?://.+/$', default: 'https://api.x.com/', description: 'ends with /' }),
  X_AUTHORIZE_URL: Type.String({ pattern: '^https?://', default: 'https://x.com/i/oauth2/authorize' }),
  // Every Chorus post carries the campaign link, so this is X's price of a post with a URL.
  X_POST_PRICE: Type.Number({ minimum: 0, default: 0.2, description: 'what X charges per post with a link, in PRICE_CURRENCY' }),
  PRICE_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
  // X's per-app cap on POST /2/tweets in 24 hours depends on the plan; 10,000 is the larger plans' figure.
  CAMPAIGN_REVIEW: Type.Enum(['on', 'off'], {
    default: 'on',
    description: "whether a published campaign waits for an operator's approval, until an operator sets it on the operator page",
  }),
  SIGN_UP_MODE: Type.Optional(
    Type.Enum(['open', 'approval', 'invitation'], {
      description: 'who may sign up until an operator sets it (invitation on a production instance, open elsewhere)',
    }),
  ),
  FIRST_ACCOUNT_OPERATOR: Type.Enum(['on', 'off'], {
    default: 'on',
    description: 'whether the first account of a fresh instance becomes its operator (the tests turn it off)',
  }),
  REPORT_CONTACT_RETENTION_DAYS: Type.Integer({
    minimum: 0,
    maximum: 3650,
    default: 90,
    description: 'how many days after a report about a campaign is closed the contact its reporter left is erased',
  }),
  X_APP_POST_BUDGET: Type.Integer({
    minimum: 1,
    default: 10_000,
    description: "posts per 24 hours your X app may make (your plan's app limit)",
  }),
  X_APP_POST_BUDGET_WINDOW_SECONDS: Type.Integer({
    minimum: 24,
    default: 86_400,
    description: 'the window the budget counts over; only tests shorten it',
  }),
  DELIVERY_LEASE_SECONDS: Type.Integer({
    minimum: 5,
    default: 120,
    description: 'how long a worker may hold a delivery before another takes it back and checks it',
  }),
  DELIVERY_RETRY_WINDOW_SECONDS: Type.Integer({
    minimum: 10,
    default: 21_600,
    description: 'how long a post is retried after its first problem before it is marked failed',
  }),
  NETWORK_PAUSE_PROBE_SECONDS: Type.Integer({
    minimum: 1,
    default: 30,
    description:
      "when a network refuses every post (X's credits ran out), how soon one post is tried again; the wait doubles after each refusal",
  }),
  NETWORK_PAUSE_PROBE_MAX_SECONDS: Type.Integer({
    minimum: 1,
    default: 600,
    description: 'the longest wait between two tries of a paused network: posts resume at most this long after it works again',
  }),
  NETWORK_REQUEST_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'after this, a post whose answer has not come is an unknown outcome',
  }),
  TOKEN_REFRESH_LEAD_SECONDS: Type.Integer({
    minimum: 5,
    default: 3600,
    description: "how long before the launch supporters' tokens are refreshed",
  }),
  TOKEN_REFRESHES_PER_SECOND: Type.Number({
    exclusiveMinimum: 0,
    default: 5,
    description: 'pace of refreshes ahead of a launch, per worker',
  }),
  RECOVERY_SWEEP_SECONDS: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'how often a worker looks in Postgres for deliveries whose jobs were lost',
  }),
  SUPPORTER_DATA_RETENTION_DAYS: Type.Integer({
    minimum: 0,
    maximum: 3650,
    default: 30,
    description:
      "how many days after a campaign ends its supporters' personal data (handles, names, follower counts, texts, post links) is erased, leaving anonymous totals",
  }),
  AUDIT_LOG_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 400,
    description:
      'how many days audit entries (who changed a campaign, an organisation or a membership, and from which address) are kept before the workers delete them',
  }),
  ORGANISATION_DELETION_WAIT_SECONDS: Type.Integer({
    minimum: 0,
    default: 86400,
    description:
      "how long at most an organisation whose only member deleted their account waits for its supporters' mails to go before the workers delete it",
  }),
  SUPPORTER_DATA_ERASURE_SWEEP_SECONDS: Type.Integer({
    minimum: 1,
    default: 900,
    description: 'how often the workers look for ended campaigns past their retention time, and for expired pending pledges',
  }),
  JOB_LOCK_SECONDS: Type.Integer({ minimum: 2, default: 30, description: 'how soon a job of a worker that died is handed to another' }),
  SHUTDOWN_GRACE_SECONDS: Type.Integer({
    minimum: 1,
    default: 25,
    description: 'on SIGTERM, how long jobs in hand may take to finish before they are handed back',
  }),
  MASTODON_LOCAL_INSTANCES: Type.String({
    default: '',
    description:
      'comma-separated origins (http://127.0.0.1:4020) accepted as Mastodon instances although plain http or private, matched whole (scheme, host, port); for tests and the sandbox',
  }),
  MASTODON_SUGGESTED_INSTANCES: Type.String({ default: 'mastodon.social', description: 'comma-separated instances offered to supporters' }),
  BLUESKY_LOCAL_SERVERS: Type.String({
    default: '',
    description:
      'comma-separated origins (a development PDS, PLC directory and AppView) Chorus may call over plain http or at a private address, matched whole; for tests and local networks',
  }),
  BLUESKY_PLC_URL: Type.String({
    pattern: '^https?://',
    default: 'https://plc.directory',
    description: 'the PLC directory that resolves did:plc identities',
  }),
  BLUESKY_HANDLE_RESOLVER: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'a server answering com.atproto.identity.resolveHandle; by default handles are resolved by DNS and https',
    }),
  ),
  BLUESKY_PRIVATE_KEY: Type.Optional(
    Type.String({
      pattern: '-----BEGIN PRIVATE KEY-----',
      description: 'an ES256 private key (PKCS#8 PEM): Chorus then signs in as a confidential client, whose sessions last longer',
    }),
  ),
  LINKEDIN_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  LINKEDIN_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  LINKEDIN_API_URL: Type.String({ pattern: '^https?://.+/$', default: 'https://api.linkedin.com/', description: 'ends with /' }),
  LINKEDIN_AUTHORIZE_URL: Type.String({
    pattern: '^https?://',
    default: 'https://www.linkedin.com/oauth/v2/authorization',
    description: 'the consent page; the token endpoint is accessToken beside it',
  }),
  LINKEDIN_API_VERSION: Type.String({ pattern: '^[0-9]{6}$', default: '202510', description: 'the LinkedIn-Version header (YYYYMM)' }),
  SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://',
      description:
        'the mail server Chorus sends through, e.g. smtps://user:password@smtp.example.org:465 (none: no mail is sent; npm start runs a sandbox mail server)',
    }),
  ),
  MAIL_FROM: Type.String({
    minLength: 3,
    default: 'Chorus <chorus@localhost>',
    description: 'the From address of every mail, e.g. "Chorus <chorus@example.org>"',
  }),
  MAIL_SWEEP_SECONDS: Type.Integer({
    minimum: 1,
    default: 30,
    description: "how often the workers write the organisers' and supporters' mails that are due and put back mails whose jobs were lost",
  }),
  MAIL_RETRY_DELAY_SECONDS: Type.Integer({
    minimum: 1,
    default: 15,
    description: 'how soon a mail the server deferred (4xx, or unreachable) is tried again; the wait doubles each time, 12 attempts in all',
  }),
  MAIL_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 30,
    description: 'how many days a sent or failed mail is kept in the outbox (with its recipient) before the workers delete it',
  }),
  WEBHOOK_LOCAL_ORIGINS: Type.String({
    default: '',
    description:
      "comma-separated origins (http://127.0.0.1:4050) accepted as webhook endpoints although plain http or private, matched whole; for tests and receivers on the operator's own network. Every other endpoint must be a public https server",
  }),
  WEBHOOK_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 60,
    default: 10,
    description: 'how long a webhook endpoint has to answer before the attempt counts as failed',
  }),
  WEBHOOK_RETRY_BASE_SECONDS: Type.Number({
    exclusiveMinimum: 0,
    default: 30,
    description: 'the first wait before a failed webhook is tried again; each later wait doubles (up to 6 hours)',
  }),
  WEBHOOK_RETRY_WINDOW_SECONDS: Type.Integer({
    minimum: 1,
    default: 86_400,
    description: 'how long after an event a webhook is retried before it is marked failed (24 hours)',
  }),
  WEBHOOK_SECRET_OVERLAP_HOURS: Type.Integer({
    minimum: 0,
    maximum: 168,
    default: 24,
    description: 'after a webhook secret is rotated, how long requests are signed with the old secret too, while receivers switch',
  }),
  WEBHOOK_LOG_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 365,
    default: 30,
    description: 'how many days webhook events and their delivery log are kept',
  }),
  WEBHOOK_DISPATCH_SECONDS: Type.Number({
    exclusiveMinimum: 0,
    default: 1,
    description: 'how often each worker looks for new webhook deliveries to hand to the queue',
  }),
  DELIVERY_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 5000,
    default: 50,
    description: 'calls to the networks (posts, and checks of earlier posts) one worker process keeps in flight',
  }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'Postgres connections per process' }),
  RATE_LIMIT_SCALE: Type.Number({
    minimum: 0,
    default: 1,
    description: 'multiplies every rate limit (src/plugins/app/rate-limit-table.ts); 0 turns them off, for load tests only',
  }),
  PASSWORD_HASH_COST: Type.Enum(['production', 'test'], {
    default: 'production',
    description:
      "argon2id's cost for organisers' passwords: production (64 MiB, 3 passes); test (1 MiB, 1 pass) is for the test suite only and refused unless NODE_ENV=test",
  }),
  TRUST_PROXY: Type.String({
    default: '',
    description:
      'the reverse proxies in front of Chorus whose X-Forwarded-For names the client: their addresses, comma-separated (CIDR ranges, loopback); empty: none, the client is the connecting address',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  LOG_FORMAT: Type.Optional(
    Type.Enum(['json', 'pretty'], {
      description:
        'json (one object a line, for log collectors) or pretty (readable lines); unset: pretty in a terminal outside production',
    }),
  ),
});

export type Config = Static<typeof ConfigSchema>;

/** Raised when the environment cannot make a valid Config; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(ConfigSchema.properties);
  const raw = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.includes(key) && value !== ''));
  const candidate = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const problems = [...Value.Errors(ConfigSchema, candidate)].map((error) => {
    if (error.keyword === 'required') {
      const missing = error.params.requiredProperties;
      return missing.map((name) => `${name} is missing${describe(name)}`).join('\n');
    }
    const name = error.instancePath.slice(1);
    return `${name} is malformed: ${error.message}${describe(name)}`;
  });
  const config = candidate as Config;
  if (Boolean(config.X_CLIENT_ID) !== Boolean(config.X_CLIENT_SECRET)) {
    problems.push('X_CLIENT_ID and X_CLIENT_SECRET must be set together (or both left out to use the sandbox X network)');
  }
  if (Boolean(config.LINKEDIN_CLIENT_ID) !== Boolean(config.LINKEDIN_CLIENT_SECRET)) {
    problems.push(
      'LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET must be set together (or both left out: no LinkedIn, or its sandbox under npm start)',
    );
  }
  // A hash keeps its parameters for good: a cheap one made outside the test suite would stay cheap to guess.
  if (config.PASSWORD_HASH_COST !== 'production' && config.NODE_ENV !== 'test') {
    problems.push(
      `PASSWORD_HASH_COST=${config.PASSWORD_HASH_COST} is for the test suite only (NODE_ENV=test), not NODE_ENV=${config.NODE_ENV}: leave it unset to hash at the production cost`,
    );
  }
  const trustProxy = readTrustProxy(config.TRUST_PROXY);
  if (trustProxy.kind === 'invalid') problems.push(`TRUST_PROXY is malformed: ${trustProxy.problem}`);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return config;
}

function describe(name: string): string {
  const property = (ConfigSchema.properties as Record<string, { description?: string } | undefined>)[name];
  return property?.description ? ` (${property.description})` : '';
}
