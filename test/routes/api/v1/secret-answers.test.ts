import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../../support/organiser.ts';
import { pledgeThroughConsent } from '../../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

// Answers that carry a secret (a token shown once, a session cookie, the account, a page's CSRF
// token) are sent with Cache-Control: no-store, so no browser or proxy cache keeps them.
describe('answers that carry a secret', () => {
  let chorus: TestChorus;
  let organiser: Browser;
  let api: string;
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    chorus = await startTestChorus();
    api = `${chorus.url}/api/v1`;
    organiser = await signUpOrganiser(chorus.url);
    campaign = (await organiser.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody() })).body;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('sends the new API token, who am I, and the sessions with no-store', async () => {
    const token = await organiser.json(`${api}/api-tokens`, { json: { name: 'kept nowhere' } });
    expect(token.status).toBe(201);
    expect(token.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/me', '/sessions']) {
      const answer = await organiser.json(`${api}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('sends sign-up, sign-in and sign-out, each of which sets the session cookie, with no-store', async () => {
    const browser = new Browser();
    const email = `no-store-${Date.now()}@example.org`;
    const signUp = await browser.json(`${api}/organisers`, { json: { email, name: 'No store', password: 'a long enough password' } });
    expect(signUp.headers.get('cache-control')).toBe('no-store');
    const signIn = await browser.json(`${api}/session`, { json: { email, password: 'a long enough password' } });
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    const signOut = await browser.request(`${api}/session`, { method: 'DELETE' });
    expect(signOut.headers.get('cache-control')).toBe('no-store');
  });

  it("sends the API's consent callback, which carries the pledge's private manage token, with no-store", async () => {
    const pledge = await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'nostore_sam', followers: 10 });
    expect(pledge.status).toBe(201);
    expect(pledge.body.manageToken).toMatch(/^chorus_pledge_/);
    expect(pledge.headers?.get('cache-control')).toBe('no-store');
  });

  it('sends the organiser pages, which carry CSRF tokens, with no-store; the anonymous campaign page stays cacheable', async () => {
    for (const path of [
      '/organiser/campaigns',
      '/organiser/campaigns/new',
      '/organiser/account',
      `/organiser/campaigns/${campaign.id}/edit`,
    ]) {
      const page = await organiser.request(`${chorus.url}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control'), path).toBe('no-store');
    }
    const signIn = await new Browser().request(`${chorus.url}/organiser/sign-in`, { headers: { accept: 'text/html' } });
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    const anonymous = await fetch(`${chorus.url}/c/${campaign.slug}`, { headers: { accept: 'text/html' } });
    expect(anonymous.headers.get('cache-control')).toBe('no-cache');
  });
});
