import { randomBytes } from 'node:crypto';

/** The environment of a Chorus process under benchmark, as an operator runs it (production mode: templates compiled once): its own database and queues, quiet logs, rate limits out of reach. */
export function chorusEnvironment(databaseUrl: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `chorus-bench-${randomBytes(3).toString('hex')}`,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // Every request comes from this one address, far faster than any client's limit allows: the
    // limits are raised out of reach but stay on, so each request still pays its count in Redis.
    RATE_LIMIT_SCALE: '1000000',
    ...extra,
  };
}
