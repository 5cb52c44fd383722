import { Strategy as TwitterStrategy } from '@superfaceai/passport-twitter-oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXSandbox, type RunningXSandbox } from '../../../src/networks/x/sandbox/x-sandbox-server.ts';
import { submitConsent } from './x-sandbox-consent-driver.ts';

const clientId = 'chorus-passport';
const clientSecret = 'passport-secret';
const callbackUrl = 'http://127.0.0.1:9/auth/x/callback';

/** What passport hands the strategy's verify callback, passed through as the "user". */
interface VerifiedLogin {
  accessToken: string;
  refreshToken: string;
  profile: { id: string; username: string; _json: { public_metrics?: { followers_count: number } } };
}

/** How one call to `authenticate` ended: the actions passport gives a strategy. */
type AuthenticateOutcome =
  | { action: 'redirect'; url: string }
  | { action: 'success'; user: VerifiedLogin }
  | { action: 'fail'; challenge: unknown }
  | { action: 'error'; error: unknown };

/** Runs the real strategy the way passport does, with a minimal request carrying a session. */
function runStrategy(
  strategy: TwitterStrategy,
  req: { query: Record<string, string>; session: Record<string, unknown> },
): Promise<AuthenticateOutcome> {
  return new Promise((resolve) => {
    const augmented = Object.assign(Object.create(strategy) as TwitterStrategy, {
      redirect: (url: string) => {
        resolve({ action: 'redirect', url });
      },
      success: (user: VerifiedLogin) => {
        resolve({ action: 'success', user });
      },
      fail: (challenge: unknown) => {
        resolve({ action: 'fail', challenge });
      },
      error: (error: unknown) => {
        resolve({ action: 'error', error });
      },
      pass: () => {
        resolve({ action: 'error', error: new Error('pass') });
      },
    });
    augmented.authenticate({ ...req, headers: {}, url: '/auth/x' } as unknown as Parameters<TwitterStrategy['authenticate']>[0]);
  });
}

describe('@superfaceai/passport-twitter-oauth2 against the X sandbox', () => {
  let sandbox: RunningXSandbox;
  let strategy: TwitterStrategy;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [{ clientId, clientSecret }] });
    strategy = new TwitterStrategy(
      {
        clientType: 'confidential',
        clientID: clientId,
        clientSecret,
        callbackURL: callbackUrl,
        authorizationURL: sandbox.authorizeUrl,
        tokenURL: `${sandbox.url}2/oauth2/token`,
        userProfileURL: `${sandbox.url}2/users/me?user.fields=public_metrics`,
        scope: ['tweet.read', 'tweet.write', 'offline.access'],
      },
      (accessToken: string, refreshToken: string, profile: unknown, done: (error: null, user: VerifiedLogin) => void) => {
        done(null, { accessToken, refreshToken, profile } as VerifiedLogin);
      },
    );
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('authorises with PKCE, exchanges the code form-encoded and reads the profile', async () => {
    const session: Record<string, unknown> = {};
    const start = await runStrategy(strategy, { query: {}, session });
    if (start.action !== 'redirect') throw new Error(`expected a redirect, got ${start.action}`);
    expect(start.url.startsWith(`${sandbox.authorizeUrl}?`)).toBe(true);

    const callback = await submitConsent(start.url, { username: 'passporter', followers: '777' });
    const finish = await runStrategy(strategy, { query: Object.fromEntries(callback.searchParams), session });
    if (finish.action !== 'success') throw new Error(`expected success, got ${JSON.stringify(finish)}`);
    expect(finish.user.accessToken).toEqual(expect.any(String));
    expect(finish.user.refreshToken).toEqual(expect.any(String));
    expect(finish.user.profile.username).toBe('passporter');
    expect(finish.user.profile._json.public_metrics?.followers_count).toBe(777);
  });

  it('fails the login when the user cancels', async () => {
    const session: Record<string, unknown> = {};
    const start = await runStrategy(strategy, { query: {}, session });
    if (start.action !== 'redirect') throw new Error(`expected a redirect, got ${start.action}`);
    const callback = await submitConsent(start.url, { decision: 'deny' });
    const finish = await runStrategy(strategy, { query: Object.fromEntries(callback.searchParams), session });
    expect(finish.action).toBe('fail');
  });
});
