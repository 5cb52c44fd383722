import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createMastodonApiClient } from '../../../src/networks/mastodon/mastodon-api-client.ts';
import { createOutboundGuard } from '../../../src/outbound/outbound-guard.ts';
import { submitConsent } from '../x/x-sandbox-consent-driver.ts';

const redirectUri = 'http://127.0.0.1:9/auth/mastodon/callback';

/** An access token for `username` on a sandbox instance, got the way an app gets one: register, consent, exchange. */
export async function mastodonSandboxToken(origin: string, username: string, scope = 'write:statuses read:accounts'): Promise<string> {
  const api = createMastodonApiClient(createOutboundGuard({ allowedOrigins: [origin] }));
  const app = await api.registerApp(origin, { name: 'Test', redirectUri, website: 'http://127.0.0.1:9' });
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope,
    state: randomBytes(4).toString('hex'),
  });
  const back = await submitConsent(`${origin}/oauth/authorize?${query.toString()}`, { username, followers: '12' });
  const code = back.searchParams.get('code') ?? '';
  const exchanged = await api.exchangeCode(origin, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
  expect(exchanged.status).toBe(200);
  return (JSON.parse(exchanged.body) as { access_token: string }).access_token;
}
