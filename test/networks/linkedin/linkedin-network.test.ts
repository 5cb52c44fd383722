import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postLinkedInShare } from '../../../src/networks/linkedin/linkedin-api-client.ts';
import { fromLinkedInCommentary, toLinkedInCommentary } from '../../../src/networks/linkedin/linkedin-commentary.ts';
import { startLinkedInSandbox, type RunningLinkedInSandbox } from '../../../src/networks/linkedin/sandbox/linkedin-sandbox-server.ts';
import { submitConsent } from '../x/x-sandbox-consent-driver.ts';

const client = { clientId: 'li-test', clientSecret: 'li-test-secret' };
const redirectUri = 'http://127.0.0.1:9/auth/linkedin/callback';

describe('LinkedIn commentary', () => {
  it('escapes little-text characters and writes hashtags as hashtag templates', () => {
    const text = 'Thank you (all) #OurHealthHeroes, see https://example.org/a_b ~ @ward';
    const commentary = toLinkedInCommentary(text);
    expect(commentary).toBe('Thank you \\(all\\) {hashtag|\\#|OurHealthHeroes}, see https://example.org/a\\_b \\~ \\@ward');
    expect(fromLinkedInCommentary(commentary)).toBe(text);
  });
});

describe('posting to the sandbox LinkedIn over HTTP', () => {
  let sandbox: RunningLinkedInSandbox;
  beforeAll(async () => {
    sandbox = await startLinkedInSandbox({ clients: [client] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function member(username: string): Promise<{ token: string; sub: string }> {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri,
      scope: 'openid profile w_member_social',
      state: randomBytes(4).toString('hex'),
    });
    const back = await submitConsent(`${sandbox.authorizeUrl}?${query.toString()}`, { username, followers: '0' });
    const response = await fetch(`${sandbox.url}oauth/v2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        ...{ client_id: client.clientId, client_secret: client.clientSecret },
      }),
    });
    const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expiresIn).toBe(5_184_000);
    const info = (await (await fetch(`${sandbox.url}v2/userinfo`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      sub: string;
    };
    return { token, sub: info.sub };
  }
  const api = () => ({ apiUrl: sandbox.url, apiVersion: '202510' });

  it('publishes as the member, and refuses the same text twice', async () => {
    const { token, sub } = await member('poster_pia');
    const sent = await postLinkedInShare(api(), token, sub, 'Thank you #OurHealthHeroes');
    expect(sent).toMatchObject({ kind: 'sent', postId: expect.stringMatching(/^urn:li:share:\d+$/) as unknown });
    const twice = await postLinkedInShare(api(), token, sub, 'Thank you #OurHealthHeroes');
    expect(twice.kind).toBe('failed');
    expect(twice.kind === 'failed' && twice.reason).toContain('duplicate');
  });

  it('refuses posting as someone else, without a version, or with a token it does not know', async () => {
    const { token } = await member('honest_hu');
    expect((await postLinkedInShare(api(), token, 'someone-else', 'hello')).kind).toBe('failed');
    const noVersion = await fetch(`${sandbox.url}rest/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noVersion.status).toBe(400);
    expect(await postLinkedInShare(api(), 'unknown', 'x', 'hello')).toEqual({
      kind: 'failed',
      reason: "LinkedIn no longer accepts this supporter's authorisation (it lasts 60 days)",
    });
  });
});
