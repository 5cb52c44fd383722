import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXSandbox, type RunningXSandbox } from '../../../src/networks/x/sandbox/x-sandbox-server.ts';
import { createXClient } from '../../../src/networks/x/x-api-client.ts';
import { submitConsent } from './x-sandbox-consent-driver.ts';

const clientId = 'chorus-client';
const clientSecret = 'chorus-secret';
const redirectUri = 'http://127.0.0.1:9/auth/x/callback';

/** The error twitter-api-v2 throws for a non-2xx answer; fails the test if it throws anything else. */
async function apiError(promise: Promise<unknown>): Promise<ApiResponseError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiResponseError);
  return error as ApiResponseError;
}

describe('createXClient against the X sandbox', () => {
  let sandbox: RunningXSandbox;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [{ clientId, clientSecret }], tweetRateLimit: { limit: 5, windowSeconds: 900 } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  /** Authorises through twitter-api-v2 end to end: its own auth link, the consent page, its JSON token exchange. */
  async function login(username: string, followers = '100') {
    const appClient = createXClient({ apiUrl: sandbox.url, clientId, clientSecret });
    const link = appClient.generateOAuth2AuthLink(redirectUri, { scope: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] });
    // The consent page is configured apart from the API (X_AUTHORIZE_URL): only its query comes from the library.
    const consentUrl = `${sandbox.authorizeUrl}${new URL(link.url).search}`;
    const callback = await submitConsent(consentUrl, { username, followers });
    expect(callback.searchParams.get('state')).toBe(link.state);
    return appClient.loginWithOAuth2({ code: callback.searchParams.get('code') ?? '', codeVerifier: link.codeVerifier, redirectUri });
  }

  it('logs in with loginWithOAuth2 and reads the profile with public metrics', async () => {
    const login1 = await login('lovelace', '4321');
    expect(login1.scope).toEqual(['tweet.read', 'tweet.write', 'users.read', 'offline.access']);
    expect(login1.expiresIn).toBe(7200);
    expect(login1.refreshToken).toEqual(expect.any(String));

    const { data } = await login1.client.v2.me({ 'user.fields': ['public_metrics'] });
    expect(data.username).toBe('lovelace');
    expect(data.public_metrics).toEqual({ followers_count: 4321, following_count: 0, tweet_count: 0, listed_count: 0 });

    const same = await createXClient({ apiUrl: sandbox.url, accessToken: login1.accessToken }).v2.me();
    expect(same.data.id).toBe(data.id);
  });

  it('rotates tokens with refreshOAuth2Token: the old refresh token is refused and the old access token is dead', async () => {
    const first = await login('rotating');
    const appClient = createXClient({ apiUrl: sandbox.url, clientId, clientSecret });
    const second = await appClient.refreshOAuth2Token(first.refreshToken ?? '');
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await second.client.v2.me()).data.username).toBe('rotating');

    const reuse = await apiError(appClient.refreshOAuth2Token(first.refreshToken ?? ''));
    expect(reuse.code).toBe(400);
    expect(reuse.data).toMatchObject({ error: 'invalid_grant' });

    const stale = await apiError(first.client.v2.me());
    expect(stale.code).toBe(401);
    expect(stale.isAuthError).toBe(true);
  });

  it('revokes a token with revokeOAuth2Token', async () => {
    const { client, accessToken } = await login('leaver');
    await createXClient({ apiUrl: sandbox.url, clientId, clientSecret }).revokeOAuth2Token(accessToken, 'access_token');
    expect((await apiError(client.v2.me())).code).toBe(401);
  });

  it('refuses a wrong client secret', async () => {
    const error = await apiError(createXClient({ apiUrl: sandbox.url, clientId, clientSecret: 'wrong' }).refreshOAuth2Token('x'));
    expect(error.code).toBe(401);
    expect(error.data).toMatchObject({ error: 'invalid_client' });
  });

  it('posts with v2.tweet, refuses a duplicate with 403 and 281 characters with 400', async () => {
    const { client } = await login('tweeter');
    const text = `Chorus says hello ${Date.now()}`;
    const created = await client.v2.tweet(text);
    expect(created.data.text).toBe(text);
    expect(created.data.id).toMatch(/^\d+$/);

    const recorded = (await (await fetch(`${sandbox.url}__sandbox/tweets`)).json()) as {
      tweets: { id: string; text: string; username: string }[];
    };
    expect(recorded.tweets).toContainEqual(expect.objectContaining({ id: created.data.id, text, username: 'tweeter' }));

    const duplicate = await apiError(client.v2.tweet(text));
    expect(duplicate.code).toBe(403);
    expect(duplicate.data.detail).toBe('You are not allowed to create a Tweet with duplicate content.');
    expect(duplicate.rateLimit?.limit).toBe(5);

    const tooLong = await apiError(client.v2.tweet('x'.repeat(281)));
    expect(tooLong.code).toBe(400);
    expect(tooLong.data.title).toBe('Invalid Request');
  });

  it('surfaces the 429 reset time through ApiResponseError.rateLimit', async () => {
    const { client } = await login('hasty');
    for (let n = 0; n < 5; n += 1) await client.v2.tweet(`hasty post ${n}`);
    const limited = await apiError(client.v2.tweet('one too many'));
    expect(limited.code).toBe(429);
    expect(limited.rateLimitError).toBe(true);
    expect(limited.rateLimit).toEqual({ limit: 5, remaining: 0, reset: expect.any(Number) as number });
    expect(limited.headers['retry-after']).toBeUndefined();
  });

  it('reads the user timeline through v2.userTimeline', async () => {
    const { client } = await login('chronicler');
    const first = await client.v2.tweet('first entry');
    const second = await client.v2.tweet('second entry https://example.org/a');
    const me = await client.v2.me();
    const timeline = await client.v2.userTimeline(me.data.id, { max_results: 5 });
    expect(timeline.tweets.map((tweet) => tweet.id)).toEqual([second.data.id, first.data.id]);
    expect(timeline.meta.newest_id).toBe(second.data.id);
    expect(timeline.tweets[0]?.text).toMatch(/^second entry https:\/\/t\.co\//);
  });

  it('answers 401 to an unknown access token', async () => {
    const error = await apiError(createXClient({ apiUrl: sandbox.url, accessToken: 'not-a-token' }).v2.tweet('hi'));
    expect(error.code).toBe(401);
    expect(error.data).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  });
});

describe('createXClient request routing', () => {
  interface Seen {
    method: string | undefined;
    url: string | undefined;
    contentType: string | undefined;
    authorization: string | undefined;
    body: string;
  }
  const seen: Seen[] = [];
  const recorder = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { id: '1', text: 'ok', edit_history_tweet_ids: ['1'] } }));
    });
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => recorder.close(resolve));
  });

  it('keeps a path prefix in apiUrl and still sends JSON to /2/ endpoints', async () => {
    seen.length = 0;
    const client: TwitterApi = createXClient({ apiUrl: `${base}/mock/x`, accessToken: 'tok' });
    await client.v2.tweet('hello');
    await client.v2.me({ 'user.fields': ['public_metrics'] });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/mock/x/2/tweets',
        contentType: expect.stringContaining('application/json') as string,
        authorization: 'Bearer tok',
        body: '{"text":"hello"}',
      },
      {
        method: 'GET',
        url: '/mock/x/2/users/me?user.fields=public_metrics',
        contentType: undefined,
        authorization: 'Bearer tok',
        body: '',
      },
    ]);
  });

  it('sends the token request as JSON with HTTP Basic client authentication', async () => {
    seen.length = 0;
    const client = createXClient({ apiUrl: `${base}/`, clientId: 'id', clientSecret: 'se cret' });
    await client.refreshOAuth2Token('rt').catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/2/oauth2/token');
    expect(seen[0]?.contentType).toContain('application/json');
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('id:se%20cret').toString('base64')}`);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      refresh_token: 'rt',
      grant_type: 'refresh_token',
      client_id: 'id',
      client_secret: 'se cret',
    });
  });
});
