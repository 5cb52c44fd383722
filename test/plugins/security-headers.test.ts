import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../support/inject-browser.ts';
import { campaignBody, signUpIn, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// The headers are the app's own: no socket is needed, the app answers through app.inject().
describe('security headers', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('sends a content security policy with no inline script, and no Referer, on pages and on the API', async () => {
    for (const path of ['/', '/organiser/sign-in', '/api/v1/openapi.json', '/no-such-page']) {
      const response = await new InjectBrowser(chorus.app).request(`${chorus.url}${path}`, {
        headers: { accept: path.startsWith('/api') ? 'application/json' : 'text/html' },
      });
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

  it('sends the public numbers, a JSON answer read thousands of times a second, with the short set a JSON answer needs', async () => {
    const organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const response = await new InjectBrowser(chorus.app).request(`${chorus.url}/api/v1/public/campaigns/${created.body.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

// A stream never ends, so app.inject() cannot answer it: this one needs a listening Chorus.
describe('security headers on the live stream', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it("sends the dashboard's live stream with the same security headers as the pages", async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const page = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}`, { headers: { accept: 'text/html' } });
    const abort = new AbortController();
    const stream = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers.get('cache-control')).toBe('no-store');
      for (const header of [
        'content-security-policy',
        'referrer-policy',
        'x-content-type-options',
        'x-frame-options',
        'cross-origin-opener-policy',
      ]) {
        expect(stream.headers.get(header), header).toBe(page.headers.get(header));
        expect(stream.headers.get(header), header).not.toBeNull();
      }
    } finally {
      abort.abort();
    }
  });
});
