import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXSandbox, type RunningXSandbox } from '../../../src/networks/x/sandbox/x-sandbox-server.ts';
import { createXNetwork } from '../../../src/networks/x/x-network.ts';
import type { SocialNetwork } from '../../../src/networks/social-network.ts';
import { authorizeQuery, pkcePair, submitConsent } from './x-sandbox-consent-driver.ts';

const client = { clientId: 'repost-test', clientSecret: 'repost-secret' };
const redirectUri = 'http://127.0.0.1:9/auth/x/callback';

describe('reposting on the sandbox X through the X network module', () => {
  let sandbox: RunningXSandbox;
  let x: SocialNetwork;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [client] });
    x = createXNetwork({
      ...client,
      apiUrl: sandbox.url,
      authorizeUrl: sandbox.authorizeUrl,
      appPlan: { budget: { limit: 100, windowMs: 86_400_000 }, pricePerPost: 0.01, currency: 'USD' },
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function account(username: string): Promise<{ token: string; id: string }> {
    const { verifier, challenge } = pkcePair();
    const back = await submitConsent(
      `${sandbox.authorizeUrl}?${authorizeQuery({ clientId: client.clientId, redirectUri, challenge }).toString()}`,
      { username },
    );
    const response = await fetch(`${sandbox.url}2/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    const token = ((await response.json()) as { access_token: string }).access_token;
    return { token, id: (await x.fetchProfile(token)).networkUserId };
  }
  const context = (id: string) => ({ idempotencyKey: 'unused-on-x', account: { networkUserId: id, server: null } });
  const retweets = async () =>
    ((await (await fetch(`${sandbox.url}__sandbox/retweets`)).json()) as { retweets: { username: string; tweetId: string }[] }).retweets;

  it('reposts a post once per account, however often it is asked', async () => {
    const campaign = await account('campaign_cam');
    const fan = await account('fan_fay');
    const original = await x.publish(campaign.token, 'Thank you, support workers https://example.org', context(campaign.id));
    expect(original.kind).toBe('sent');
    const postId = original.kind === 'sent' ? original.postId : '';
    expect(await x.repost?.(fan.token, postId, context(fan.id))).toEqual({ kind: 'sent', postId });
    expect(await x.repost?.(fan.token, postId, context(fan.id))).toEqual({ kind: 'sent', postId });
    expect((await retweets()).filter((r) => r.tweetId === postId)).toEqual([expect.objectContaining({ username: 'fan_fay' })]);
  });

  it('refuses reposting as another account, and a post that does not exist', async () => {
    const fan = await account('fan_gil');
    const other = await account('other_oz');
    const asOther = await x.repost?.(fan.token, '1', context(other.id));
    expect(asOther?.kind).toBe('failed');
    const missing = await x.repost?.(fan.token, '123456789', context(fan.id));
    expect(missing?.kind).toBe('failed');
  });
});
