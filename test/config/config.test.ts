import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { trustProxyOption } from '../../config/trust-proxy.ts';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/chorus',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PUBLIC_URL: 'https://chorus.example.org',
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  SESSION_SECRET: randomBytes(32).toString('base64url'),
};

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('reads a complete environment, with defaults for the rest', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      PORT: 3000,
      X_API_URL: 'https://api.x.com/',
      X_AUTHORIZE_URL: 'https://x.com/i/oauth2/authorize',
      QUEUE_PREFIX: 'chorus',
    });
    expect(config.X_CLIENT_ID).toBeUndefined();
  });

  it('names each missing variable', () => {
    const message = problemsOf({ ...valid, DATABASE_URL: '', SESSION_SECRET: '' });
    expect(message).toContain('DATABASE_URL is missing');
    expect(message).toContain('SESSION_SECRET is missing');
  });

  it('names each malformed variable', () => {
    const message = problemsOf({ ...valid, PORT: 'eighty', TOKEN_ENCRYPTION_KEY: 'short', REDIS_URL: 'http://x' });
    expect(message).toContain('PORT is malformed');
    expect(message).toContain('TOKEN_ENCRYPTION_KEY is malformed');
    expect(message).toContain('REDIS_URL is malformed');
  });

  it('refuses half of the X credentials', () => {
    expect(problemsOf({ ...valid, X_CLIENT_ID: 'abc' })).toContain('X_CLIENT_ID and X_CLIENT_SECRET must be set together');
  });

  it('trusts no proxy unless told, and reads the proxies in front of Chorus as addresses', () => {
    expect(trustProxyOption(loadConfig(valid).TRUST_PROXY)).toBe(false);
    expect(trustProxyOption(loadConfig({ ...valid, TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7' }).TRUST_PROXY)).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
  });

  it('refuses a TRUST_PROXY that would trust any client, or that names no address', () => {
    for (const value of ['true', '1', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/2'])
      expect(problemsOf({ ...valid, TRUST_PROXY: value })).toContain('TRUST_PROXY is malformed');
  });

  it('scales the rate limits by a factor of zero or more', () => {
    expect(loadConfig(valid).RATE_LIMIT_SCALE).toBe(1);
    expect(loadConfig({ ...valid, RATE_LIMIT_SCALE: '0.5' }).RATE_LIMIT_SCALE).toBe(0.5);
    expect(problemsOf({ ...valid, RATE_LIMIT_SCALE: '-1' })).toContain('RATE_LIMIT_SCALE is malformed');
  });

  it('hashes passwords at the production cost unless told, and allows the test cost only under NODE_ENV=test', () => {
    expect(loadConfig(valid).PASSWORD_HASH_COST).toBe('production');
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).PASSWORD_HASH_COST).toBe('production');
    expect(loadConfig({ ...valid, NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' }).PASSWORD_HASH_COST).toBe('test');
    for (const nodeEnv of ['production', 'development'])
      expect(problemsOf({ ...valid, NODE_ENV: nodeEnv, PASSWORD_HASH_COST: 'test' })).toContain(
        `PASSWORD_HASH_COST=test is for the test suite only (NODE_ENV=test), not NODE_ENV=${nodeEnv}`,
      );
    expect(problemsOf({ ...valid, NODE_ENV: 'test', PASSWORD_HASH_COST: 'cheap' })).toContain('PASSWORD_HASH_COST is malformed');
  });

  it('never repeats a secret in its message', () => {
    const message = problemsOf({ ...valid, DATABASE_URL: '' });
    expect(message).not.toContain(valid.TOKEN_ENCRYPTION_KEY);
    expect(message).not.toContain(valid.SESSION_SECRET);
  });
});
