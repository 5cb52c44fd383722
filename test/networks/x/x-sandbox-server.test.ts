import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXSandbox, type RunningXSandbox, type XSandboxOptions } from '../../../src/networks/x/sandbox/x-sandbox-server.ts';
import { authorizeQuery, pkcePair, submitConsent } from './x-sandbox-consent-driver.ts';

const clientId = 'chorus-test';
const clientSecret = 's3cret+/%value';
const redirectUri = 'http://127.0.0.1:9/auth/x/callback';
const basicAuth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

interface TokenBody {
  token_type?: string;
  expires_in?: number;
  access_token?: string;
  refresh_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

interface SandboxTweetsBody {
  tweets: { id: string; text: string; textOnX: string; authorId: string; username: string; createdAt: string }[];
}

async function withSandbox(options: Partial<XSandboxOptions>, run: (sandbox: RunningXSandbox) => Promise<void>): Promise<void> {
  const sandbox = await startXSandbox({ clients: [{ clientId, clientSecret, name: 'Chorus <Test>' }], ...options });
  try {
    await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

/** Authorises as passport-oauth2 does: consent page, then a form-encoded exchange with Basic auth. */
async function authorize(
  sandbox: RunningXSandbox,
  answer: { username?: string; followers?: string; scope?: string } = {},
): Promise<TokenBody & { access_token: string }> {
  const { verifier, challenge } = pkcePair();
  const query = authorizeQuery({ clientId, redirectUri, challenge, ...(answer.scope === undefined ? {} : { scope: answer.scope }) });
  const callback = await submitConsent(`${sandbox.authorizeUrl}?${query.toString()}`, answer);
  const response = await exchangeCode(sandbox, {
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as TokenBody;
  expect(body.access_token).toEqual(expect.any(String));
  return body as TokenBody & { access_token: string };
}

function exchangeCode(sandbox: RunningXSandbox, fields: Record<string, string>, authorization = basicAuth): Promise<Response> {
  return fetch(`${sandbox.url}2/oauth2/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, ...fields }),
  });
}

function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

function postTweet(sandbox: RunningXSandbox, token: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.url}2/tweets`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('X sandbox over HTTP', () => {
  let sandbox: RunningXSandbox;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [{ clientId, clientSecret, name: 'Chorus <Test>' }] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('reports its base URL, consent page URL and health', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(sandbox.authorizeUrl).toBe(`${sandbox.url}i/oauth2/authorize`);
    const response = await fetch(`${sandbox.url}__sandbox/health`);
    expect(await response.json()).toEqual({ ok: true });
  });

  describe('consent page', () => {
    it('names the app, lists the scopes, and escapes what it echoes', async () => {
      const { challenge } = pkcePair();
      const query = authorizeQuery({ clientId, redirectUri, challenge, state: '"><script>alert(1)</script>' });
      const response = await fetch(`${sandbox.authorizeUrl}?${query.toString()}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('Chorus &lt;Test&gt; wants to access your X account');
      expect(html).not.toContain('<script>');
      expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      for (const scope of ['tweet.read', 'tweet.write', 'users.read', 'offline.access']) {
        expect(html).toContain(`<code>${scope}</code>`);
      }
      expect(html).toMatch(/<label for="username">Username<\/label>/);
      expect(html).toMatch(/<label for="followers">Followers<\/label>/);
      expect(html).toMatch(/<input id="followers" name="followers" type="number"[^>]*value="100"/);
      expect(html).toContain('<button type="submit" name="decision" value="approve">Authorize app</button>');
      expect(html).toMatch(/<button type="submit" name="decision" value="deny"[^>]*>Cancel<\/button>/);
    });

    it.each([
      ['an unknown client', { client_id: 'nobody' }, 'No app is registered'],
      ['no code challenge', { code_challenge: '' }, 'code_challenge'],
      ['the plain PKCE method', { code_challenge_method: 'plain' }, 'S256'],
      ['no state', { state: '' }, 'state'],
      ['an unknown scope', { scope: 'tweet.read everything' }, 'Unknown scope: everything'],
      ['a relative redirect URI', { redirect_uri: '/callback' }, 'redirect_uri'],
      ['another response type', { response_type: 'token' }, 'response_type'],
    ])('refuses %s with a 400 page that says why', async (_name, override, reason) => {
      const query = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge });
      for (const [key, value] of Object.entries(override)) query.set(key, value);
      const response = await fetch(`${sandbox.authorizeUrl}?${query.toString()}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain(reason);
    });

    it('accepts the lower-case "s256" that twitter-api-v2 sends', async () => {
      const query = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge, method: 's256' });
      const response = await fetch(`${sandbox.authorizeUrl}?${query.toString()}`);
      expect(response.status).toBe(200);
    });

    it('redirects with access_denied and the state when the user cancels', async () => {
      const query = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge, state: 'st-1' });
      const callback = await submitConsent(`${sandbox.authorizeUrl}?${query.toString()}`, { decision: 'deny' });
      expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe('st-1');
      expect(callback.searchParams.has('code')).toBe(false);
    });

    it('shows the form again with an error for an invalid username', async () => {
      const query = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge });
      query.set('username', 'not a valid name!');
      query.set('followers', '5');
      query.set('decision', 'approve');
      const response = await fetch(sandbox.authorizeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: query,
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('Username must be 1 to 15 letters');
      expect(html).toContain('value="not a valid name!"');
    });

    it('refuses a negative follower count', async () => {
      const query = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge });
      for (const [key, value] of Object.entries({ username: 'ok_name', followers: '-3', decision: 'approve' })) query.set(key, value);
      const response = await fetch(sandbox.authorizeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: query,
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Followers must be a whole number');
    });
  });

  describe('token endpoint', () => {
    it("runs the full PKCE flow as passport does and returns X's token body", async () => {
      const { verifier, challenge } = pkcePair();
      const query = authorizeQuery({ clientId, redirectUri, challenge, state: 'xyz' });
      const callback = await submitConsent(`${sandbox.authorizeUrl}?${query.toString()}`, { username: 'ada', followers: '2500' });
      expect(callback.searchParams.get('state')).toBe('xyz');
      const code = callback.searchParams.get('code');
      expect(code).toEqual(expect.any(String));

      const response = await exchangeCode(sandbox, { code: code ?? '', redirect_uri: redirectUri, code_verifier: verifier });
      expect(response.status).toBe(200);
      const body = (await response.json()) as TokenBody;
      expect(body).toEqual({
        token_type: 'bearer',
        expires_in: 7200,
        access_token: expect.any(String) as string,
        scope: 'tweet.read tweet.write users.read offline.access',
        refresh_token: expect.any(String) as string,
      });

      const me = await fetch(`${sandbox.url}2/users/me?user.fields=public_metrics`, { headers: bearer(body.access_token ?? '') });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({
        data: {
          id: expect.stringMatching(/^\d{15,19}$/) as string,
          name: 'ada',
          username: 'ada',
          public_metrics: { followers_count: 2500, following_count: 0, tweet_count: 0, listed_count: 0 },
        },
      });
    });

    it('refuses a wrong code verifier, and the code is spent afterwards', async () => {
      const { verifier, challenge } = pkcePair();
      const callback = await submitConsent(
        `${sandbox.authorizeUrl}?${authorizeQuery({ clientId, redirectUri, challenge }).toString()}`,
        {},
      );
      const code = callback.searchParams.get('code') ?? '';
      const wrong = await exchangeCode(sandbox, { code, redirect_uri: redirectUri, code_verifier: pkcePair().verifier });
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as TokenBody).error).toBe('invalid_grant');
      const retry = await exchangeCode(sandbox, { code, redirect_uri: redirectUri, code_verifier: verifier });
      expect(retry.status).toBe(400);
      expect(((await retry.json()) as TokenBody).error).toBe('invalid_grant');
    });

    it('refuses a code used twice', async () => {
      const { verifier, challenge } = pkcePair();
      const callback = await submitConsent(
        `${sandbox.authorizeUrl}?${authorizeQuery({ clientId, redirectUri, challenge }).toString()}`,
        {},
      );
      const fields = { code: callback.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier };
      expect((await exchangeCode(sandbox, fields)).status).toBe(200);
      const second = await exchangeCode(sandbox, fields);
      expect(second.status).toBe(400);
      expect(await second.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) as string });
    });

    it('refuses a redirect_uri that differs from the authorisation request', async () => {
      const { verifier, challenge } = pkcePair();
      const callback = await submitConsent(
        `${sandbox.authorizeUrl}?${authorizeQuery({ clientId, redirectUri, challenge }).toString()}`,
        {},
      );
      const response = await exchangeCode(sandbox, {
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: 'http://127.0.0.1:9/elsewhere',
        code_verifier: verifier,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as TokenBody).error).toBe('invalid_grant');
    });

    it('refuses a wrong client secret with 401 invalid_client', async () => {
      const wrongBasic = `Basic ${Buffer.from(`${clientId}:nope`).toString('base64')}`;
      const response = await exchangeCode(
        sandbox,
        { code: 'x', redirect_uri: redirectUri, code_verifier: 'y', client_secret: '' },
        wrongBasic,
      );
      expect(response.status).toBe(401);
      expect(((await response.json()) as TokenBody).error).toBe('invalid_client');
    });

    it('reports missing parameters as invalid_request and other grants as unsupported', async () => {
      const missing = await exchangeCode(sandbox, { redirect_uri: redirectUri, code_verifier: pkcePair().verifier });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as TokenBody).error).toBe('invalid_request');
      const other = await exchangeCode(sandbox, { grant_type: 'password' });
      expect(other.status).toBe(400);
      expect(((await other.json()) as TokenBody).error).toBe('unsupported_grant_type');
    });

    it('accepts a JSON body from a public client (client_id only)', async () => {
      const { verifier, challenge } = pkcePair();
      const callback = await submitConsent(
        `${sandbox.authorizeUrl}?${authorizeQuery({ clientId, redirectUri, challenge }).toString()}`,
        {},
      );
      const response = await fetch(`${sandbox.url}2/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: callback.searchParams.get('code'),
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
      expect(response.status).toBe(200);
    });

    it('issues no refresh token without offline.access', async () => {
      const tokens = await authorize(sandbox, { scope: 'tweet.read users.read' });
      expect(tokens.scope).toBe('tweet.read users.read');
      expect(tokens.refresh_token).toBeUndefined();
    });

    it('rotates refresh tokens: the old pair stops working', async () => {
      const first = await authorize(sandbox, { username: 'rotator' });
      const refresh = (token: string): Promise<Response> =>
        fetch(`${sandbox.url}2/oauth2/token`, {
          method: 'POST',
          headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
        });
      const rotated = await refresh(first.refresh_token ?? '');
      expect(rotated.status).toBe(200);
      const second = (await rotated.json()) as TokenBody;
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(first.refresh_token);

      const reused = await refresh(first.refresh_token ?? '');
      expect(reused.status).toBe(400);
      expect(((await reused.json()) as TokenBody).error).toBe('invalid_grant');
      expect((await fetch(`${sandbox.url}2/users/me`, { headers: bearer(first.access_token) })).status).toBe(401);
      expect((await fetch(`${sandbox.url}2/users/me`, { headers: bearer(second.access_token ?? '') })).status).toBe(200);
    });
  });

  describe('API', () => {
    it("answers 401 with X's problem body without a valid token", async () => {
      for (const headers of [{}, bearer('not-a-token'), { authorization: 'Basic abc' }]) {
        const response = await fetch(`${sandbox.url}2/users/me`, { headers });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      }
      const post = await fetch(`${sandbox.url}2/tweets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      expect(post.status).toBe(401);
    });

    it("updates an existing user's followers from the form, keeping the id", async () => {
      const first = await authorize(sandbox, { username: 'Grace', followers: '10' });
      const second = await authorize(sandbox, { username: 'grace', followers: '20' });
      const read = async (token: string): Promise<{ data: { id: string; public_metrics: { followers_count: number } } }> =>
        (await (await fetch(`${sandbox.url}2/users/me?user.fields=public_metrics`, { headers: bearer(token) })).json()) as {
          data: { id: string; public_metrics: { followers_count: number } };
        };
      const before = await read(first.access_token);
      const after = await read(second.access_token);
      expect(after.data.id).toBe(before.data.id);
      expect(after.data.public_metrics.followers_count).toBe(20);
    });

    it('omits public_metrics unless asked, and refuses unknown user fields', async () => {
      const { access_token } = await authorize(sandbox, { username: 'plain' });
      const plain = (await (await fetch(`${sandbox.url}2/users/me`, { headers: bearer(access_token) })).json()) as { data: object };
      expect(Object.keys(plain.data).sort()).toEqual(['id', 'name', 'username']);
      const bad = await fetch(`${sandbox.url}2/users/me?user.fields=shoe_size`, { headers: bearer(access_token) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ title: 'Invalid Request', errors: [{ parameters: { 'user.fields': ['shoe_size'] } }] });
    });

    it('posts, wraps links in t.co, refuses duplicates and records the post', async () => {
      const { access_token } = await authorize(sandbox, { username: 'poster' });
      const text = 'Support our health heroes https://example.org/heroes #OurHealthHeroes';
      const created = await postTweet(sandbox, access_token, { text });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-rate-limit-limit')).toBe('100');
      expect(created.headers.get('x-rate-limit-remaining')).toBe('99');
      expect(Number(created.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
      const body = (await created.json()) as { data: { id: string; text: string; edit_history_tweet_ids: string[] } };
      expect(body.data.edit_history_tweet_ids).toEqual([body.data.id]);
      expect(body.data.text).toMatch(/^Support our health heroes https:\/\/t\.co\/[A-Za-z0-9]{10} #OurHealthHeroes$/);

      const duplicate = await postTweet(sandbox, access_token, { text });
      expect(duplicate.status).toBe(403);
      expect(await duplicate.json()).toEqual({
        detail: 'You are not allowed to create a Tweet with duplicate content.',
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
      });

      const recorded = (await (await fetch(`${sandbox.url}__sandbox/tweets`)).json()) as SandboxTweetsBody;
      const mine = recorded.tweets.filter((tweet) => tweet.username === 'poster');
      expect(mine).toEqual([
        {
          id: body.data.id,
          text,
          textOnX: body.data.text,
          authorId: expect.any(String) as string,
          username: 'poster',
          createdAt: expect.any(String) as string,
        },
      ]);
    });

    it('refuses text over 280 weighted characters, empty text and bad bodies with 400, never 500', async () => {
      const { access_token } = await authorize(sandbox, { username: 'wordy' });
      const tooLong = await postTweet(sandbox, access_token, { text: 'a'.repeat(281) });
      expect(tooLong.status).toBe(400);
      expect(await tooLong.json()).toMatchObject({
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
        errors: [{ message: expect.stringContaining('281') as string }],
      });
      // CJK characters weigh 2: 140 of them fill the limit exactly.
      expect((await postTweet(sandbox, access_token, { text: '中'.repeat(140) })).status).toBe(201);
      expect((await postTweet(sandbox, access_token, { text: '中'.repeat(141) })).status).toBe(400);
      expect((await postTweet(sandbox, access_token, { text: '   ' })).status).toBe(400);
      expect((await postTweet(sandbox, access_token, { text: 42 })).status).toBe(400);
      expect((await postTweet(sandbox, access_token, { text: 'hi', media: {} })).status).toBe(400);
      expect((await postTweet(sandbox, access_token, ['hi'])).status).toBe(400);
      const brokenJson = await fetch(`${sandbox.url}2/tweets`, {
        method: 'POST',
        headers: { ...bearer(access_token), 'content-type': 'application/json' },
        body: '{"text":',
      });
      expect(brokenJson.status).toBe(400);
      const plainText = await fetch(`${sandbox.url}2/tweets`, {
        method: 'POST',
        headers: { ...bearer(access_token), 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(plainText.status).toBe(400);
      const xml = await fetch(`${sandbox.url}2/tweets`, {
        method: 'POST',
        headers: { ...bearer(access_token), 'content-type': 'application/xml' },
        body: '<text>hi</text>',
      });
      expect(xml.status).toBe(415);
    });

    it('refuses to post without tweet.write', async () => {
      const { access_token } = await authorize(sandbox, { username: 'reader', scope: 'tweet.read users.read' });
      expect((await postTweet(sandbox, access_token, { text: 'hello' })).status).toBe(403);
    });

    it("lists a user's posts newest first, with since_id and max_results", async () => {
      const { access_token } = await authorize(sandbox, { username: 'timeline' });
      const ids: string[] = [];
      for (const n of [1, 2, 3, 4, 5, 6]) {
        const response = await postTweet(sandbox, access_token, { text: `post number ${n}` });
        ids.push(((await response.json()) as { data: { id: string } }).data.id);
      }
      const me = (await (await fetch(`${sandbox.url}2/users/me`, { headers: bearer(access_token) })).json()) as { data: { id: string } };
      const timeline = await fetch(`${sandbox.url}2/users/${me.data.id}/tweets?max_results=5&tweet.fields=created_at,author_id`, {
        headers: bearer(access_token),
      });
      expect(timeline.status).toBe(200);
      const body = (await timeline.json()) as {
        data: { id: string; text: string; edit_history_tweet_ids: string[]; author_id: string; created_at: string }[];
        meta: { result_count: number; newest_id: string; oldest_id: string };
      };
      expect(body.data.map((tweet) => tweet.text)).toEqual([
        'post number 6',
        'post number 5',
        'post number 4',
        'post number 3',
        'post number 2',
      ]);
      expect(body.data[0]).toMatchObject({ id: ids[5], edit_history_tweet_ids: [ids[5]], author_id: me.data.id });
      expect(body.meta).toEqual({ result_count: 5, newest_id: ids[5], oldest_id: ids[1] });

      const since = (await (
        await fetch(`${sandbox.url}2/users/${me.data.id}/tweets?since_id=${ids[3] ?? ''}`, { headers: bearer(access_token) })
      ).json()) as { data: { id: string }[] };
      expect(since.data.map((tweet) => tweet.id)).toEqual([ids[5], ids[4]]);

      const badMax = await fetch(`${sandbox.url}2/users/${me.data.id}/tweets?max_results=500`, { headers: bearer(access_token) });
      expect(badMax.status).toBe(400);
      const badId = await fetch(`${sandbox.url}2/users/abc/tweets`, { headers: bearer(access_token) });
      expect(badId.status).toBe(400);
    });

    it('answers an empty timeline without data, and an unknown user as X does', async () => {
      const { access_token } = await authorize(sandbox, { username: 'quiet' });
      const me = (await (await fetch(`${sandbox.url}2/users/me`, { headers: bearer(access_token) })).json()) as { data: { id: string } };
      const empty = await fetch(`${sandbox.url}2/users/${me.data.id}/tweets`, { headers: bearer(access_token) });
      expect(await empty.json()).toEqual({ meta: { result_count: 0 } });
      const unknown = await fetch(`${sandbox.url}2/users/1/tweets`, { headers: bearer(access_token) });
      expect(unknown.status).toBe(200);
      expect(await unknown.json()).toMatchObject({ errors: [{ title: 'Not Found Error', resource_id: '1' }] });
    });

    it('revokes every token of a user through /__sandbox/revoke', async () => {
      const tokens = await authorize(sandbox, { username: 'revokee' });
      const response = await fetch(`${sandbox.url}__sandbox/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'revokee' }),
      });
      expect(await response.json()).toEqual({ revoked: 2 });
      expect((await fetch(`${sandbox.url}2/users/me`, { headers: bearer(tokens.access_token) })).status).toBe(401);
      const refreshed = await fetch(`${sandbox.url}2/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' }),
      });
      expect(refreshed.status).toBe(400);

      const unknown = await fetch(`${sandbox.url}__sandbox/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody_here' }),
      });
      expect(unknown.status).toBe(404);
      const missing = await fetch(`${sandbox.url}__sandbox/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(missing.status).toBe(400);
    });

    it('answers unknown paths with 404', async () => {
      const response = await fetch(`${sandbox.url}2/nothing`);
      expect(response.status).toBe(404);
    });
  });
});

describe('X sandbox limits and clock', () => {
  it('limits posts per user per window with 429 and reset headers, no Retry-After', async () => {
    await withSandbox({ tweetRateLimit: { limit: 2, windowSeconds: 60 } }, async (sandbox) => {
      const { access_token } = await authorize(sandbox, { username: 'busy' });
      expect((await postTweet(sandbox, access_token, { text: 'one' })).status).toBe(201);
      expect((await postTweet(sandbox, access_token, { text: 'two' })).status).toBe(201);
      const limited = await postTweet(sandbox, access_token, { text: 'three' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeNull();
      expect(limited.headers.get('x-rate-limit-limit')).toBe('2');
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      const reset = Number(limited.headers.get('x-rate-limit-reset'));
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      expect(await limited.json()).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });

      // Another user has a window of its own.
      const other = await authorize(sandbox, { username: 'idle' });
      expect((await postTweet(sandbox, other.access_token, { text: 'three' })).status).toBe(201);
    });
  });

  it('reports and enforces 24-hour caps when configured', async () => {
    await withSandbox({ userDailyTweetLimit: 5, appDailyTweetLimit: 2 }, async (sandbox) => {
      const a = await authorize(sandbox, { username: 'first' });
      const b = await authorize(sandbox, { username: 'second' });
      const created = await postTweet(sandbox, a.access_token, { text: 'hello' });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-user-limit-24hour-limit')).toBe('5');
      expect(created.headers.get('x-user-limit-24hour-remaining')).toBe('4');
      expect(created.headers.get('x-app-limit-24hour-remaining')).toBe('1');
      expect((await postTweet(sandbox, b.access_token, { text: 'hello' })).status).toBe(201);
      const capped = await postTweet(sandbox, b.access_token, { text: 'again' });
      expect(capped.status).toBe(429);
      expect(capped.headers.get('x-app-limit-24hour-remaining')).toBe('0');
      expect(Number(capped.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(0);
    });
  });

  it('expires access tokens after their lifetime', async () => {
    let clock = Date.now();
    await withSandbox({ accessTokenTtlSeconds: 60, now: () => clock }, async (sandbox) => {
      const tokens = await authorize(sandbox, { username: 'mortal' });
      expect(tokens.expires_in).toBe(60);
      expect((await fetch(`${sandbox.url}2/users/me`, { headers: bearer(tokens.access_token) })).status).toBe(200);
      clock += 61_000;
      expect((await fetch(`${sandbox.url}2/users/me`, { headers: bearer(tokens.access_token) })).status).toBe(401);
    });
  });

  it('expires authorisation codes after 10 minutes', async () => {
    let clock = Date.now();
    await withSandbox({ now: () => clock }, async (sandbox) => {
      const { verifier, challenge } = pkcePair();
      const callback = await submitConsent(
        `${sandbox.authorizeUrl}?${authorizeQuery({ clientId, redirectUri, challenge }).toString()}`,
        {},
      );
      clock += 10 * 60 * 1000 + 1;
      const response = await exchangeCode(sandbox, {
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as TokenBody).error).toBe('invalid_grant');
    });
  });

  it('enforces registered redirect URIs when a client has them', async () => {
    const sandbox = await startXSandbox({ clients: [{ clientId, clientSecret, redirectUris: [redirectUri] }] });
    try {
      const good = authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge });
      expect((await fetch(`${sandbox.authorizeUrl}?${good.toString()}`)).status).toBe(200);
      const bad = authorizeQuery({ clientId, redirectUri: 'http://evil.example/cb', challenge: pkcePair().challenge });
      const response = await fetch(`${sandbox.authorizeUrl}?${bad.toString()}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('is not registered');
    } finally {
      await sandbox.close();
    }
  });
});
