import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

describe('security headers', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('sends a content security policy with no inline script, and no Referer, on pages and on the API', async () => {
    for (const path of ['/', '/organiser/sign-in', '/api/v1/openapi.json', '/no-such-page']) {
      const response = await fetch(`${chorus.url}${path}`, { headers: { accept: path.startsWith('/api') ? 'application/json' : 'text/html' } });
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).not.toContain('unsafe-inline');
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      // Over plain http, no upgrade and no HSTS: they would break a laptop's copy of Chorus.
      expect(policy, path).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
    }
  });
});
