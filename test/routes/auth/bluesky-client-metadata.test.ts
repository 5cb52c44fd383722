import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

// Bluesky servers fetch these during a sign-in; they come from the Bluesky module, loaded on first request.
// No socket is needed: the app answers through app.inject().
describe('Chorus as a confidential Bluesky client', () => {
  const publicUrl = 'https://chorus.example';
  let chorus: TestChorus;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    chorus = await startTestChorus({ env: { PUBLIC_URL: publicUrl, BLUESKY_PRIVATE_KEY: pem }, listen: false });
  }, 60_000);
  afterAll(() => chorus.close());

  it('serves its client metadata at its client_id', async () => {
    const response = await chorus.app.inject({ url: '/oauth/bluesky/client-metadata.json' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      client_id: `${publicUrl}/oauth/bluesky/client-metadata.json`,
      redirect_uris: [`${publicUrl}/auth/bluesky/callback`],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: `${publicUrl}/oauth/bluesky/jwks.json`,
    });
  });

  it('serves the public half of its key, never the private one', async () => {
    const response = await chorus.app.inject({ url: '/oauth/bluesky/jwks.json' });
    expect(response.statusCode).toBe(200);
    const { keys } = response.json<{ keys: Record<string, unknown>[] }>();
    expect(keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: 'chorus-1' })]);
    expect(keys[0]).not.toHaveProperty('d');
  });
});
