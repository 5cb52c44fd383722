import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.ts';

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

  it('never repeats a secret in its message', () => {
    const message = problemsOf({ ...valid, DATABASE_URL: '' });
    expect(message).not.toContain(valid.TOKEN_ENCRYPTION_KEY);
    expect(message).not.toContain(valid.SESSION_SECRET);
  });
});
