import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

const base64Key32 = '^[A-Za-z0-9+/]{43}=$';

/** Every setting Chorus reads from its environment, with the rule each must meet. */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'Postgres connection URL' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'Redis connection URL' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PUBLIC_URL: Type.String({ pattern: '^https?://[^/]+(/.*)?$', description: 'the address supporters reach Chorus at' }),
  // Keeps the queues of several Chorus installs (or test runs) apart on one Redis.
  QUEUE_PREFIX: Type.String({ pattern: '^[a-zA-Z0-9_-]+$', default: 'chorus' }),
  TOKEN_ENCRYPTION_KEY: Type.String({ pattern: base64Key32, description: '32 random bytes, base64 (openssl rand -base64 32)' }),
  TOKEN_ENCRYPTION_KEY_ID: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,32}$', default: 'k1' }),
  SESSION_SECRET: Type.String({ minLength: 32, description: 'at least 32 characters' }),
  X_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  X_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  X_API_URL: Type.String({ pattern: '^https?://.+/$', default: 'https://api.x.com/', description: 'ends with /' }),
  X_AUTHORIZE_URL: Type.String({ pattern: '^https?://', default: 'https://x.com/i/oauth2/authorize' }),
  MASTODON_LOCAL_INSTANCES: Type.String({
    default: '',
    description: 'comma-separated origins (http://127.0.0.1:4020) accepted as Mastodon instances although plain http or private; for tests and the sandbox',
  }),
  MASTODON_SUGGESTED_INSTANCES: Type.String({ default: 'mastodon.social', description: 'comma-separated instances offered to supporters' }),
  LINKEDIN_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  LINKEDIN_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  LINKEDIN_API_URL: Type.String({ pattern: '^https?://.+/$', default: 'https://api.linkedin.com/', description: 'ends with /' }),
  LINKEDIN_AUTHORIZE_URL: Type.String({
    pattern: '^https?://',
    default: 'https://www.linkedin.com/oauth/v2/authorization',
    description: 'the consent page; the token endpoint is accessToken beside it',
  }),
  LINKEDIN_API_VERSION: Type.String({ pattern: '^[0-9]{6}$', default: '202510', description: 'the LinkedIn-Version header (YYYYMM)' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
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
    problems.push('LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET must be set together (or both left out: no LinkedIn, or its sandbox under npm start)');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return config;
}

function describe(name: string): string {
  const property = (ConfigSchema.properties as Record<string, { description?: string } | undefined>)[name];
  return property?.description ? ` (${property.description})` : '';
}
