import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody, signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

const publicUrl = 'https://chorus.example';
const evil = { origin: 'https://evil.example' };

// Cross-site request forgery (docs/security/sessions.md): the JSON API's cookie-authenticated writes
// take only JSON from Chorus's own origin; the pages' forms take their CSRF token from the body.
describe('cross-site request forgery', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let organiserId: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { PUBLIC_URL: publicUrl } });
    ({ browser: organiser, id: organiserId } = await signedUpOrganiser(chorus.app));
  });
  afterAll(async () => {
    await chorus.close();
  });

  function tokensOf(id: string) {
    return chorus.ctx.db.selectFrom('organiser_api_tokens').select('id').where('organiser_id', '=', id).execute();
  }

  async function newCampaign(): Promise<{ id: string; slug: string }> {
    const created = await organiser.request('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    expect(created.status).toBe(201);
    return (await created.json()) as { id: string; slug: string };
  }

  async function stateOf(campaignId: string): Promise<string> {
    const row = await chorus.ctx.db.selectFrom('campaigns').select('state').where('id', '=', campaignId).executeTakeFirstOrThrow();
    return row.state;
  }

  it('refuses a form posted from another origin to create an API token, and creates none', async () => {
    const answer = await organiser.request('/api/v1/api-tokens', { method: 'POST', form: { name: 'planted' }, headers: evil });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { message: string }).message).toContain('another site');
    expect(await tokensOf(organiserId)).toEqual([]);
  });

  it('refuses a form posted from another origin to cancel a campaign, which goes on collecting', async () => {
    const campaign = await newCampaign();
    const answer = await organiser.request(`/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST', form: {}, headers: evil });
    expect(answer.status).toBe(403);
    expect(await stateOf(campaign.id)).toBe('collecting');
  });

  it('believes the browser over the Origin: cross-site and same-site (another subdomain) are refused', async () => {
    const campaign = await newCampaign();
    for (const site of ['cross-site', 'same-site']) {
      const answer = await organiser.request(`/api/v1/campaigns/${campaign.id}/cancel`, {
        method: 'POST',
        headers: { 'sec-fetch-site': site, origin: publicUrl },
      });
      expect(answer.status, site).toBe(403);
    }
    expect(await stateOf(campaign.id)).toBe('collecting');
  });

  it('refuses a form body even with no Origin (a browser that sent none), and a text/plain one: only JSON', async () => {
    const campaign = await newCampaign();
    const form = await organiser.request(`/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST', form: { x: '1' } });
    expect(form.status).toBe(415);
    const text = await organiser.request('/api/v1/api-tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'as text' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(await stateOf(campaign.id)).toBe('collecting');
    expect(await tokensOf(organiserId)).toEqual([]);
  });

  it("takes JSON from Chorus's own pages (same-origin, or its own Origin) and from scripts that send no Origin", async () => {
    const fromPage = await organiser.request('/api/v1/api-tokens', {
      method: 'POST',
      json: { name: 'from the page' },
      headers: { 'sec-fetch-site': 'same-origin', origin: publicUrl },
    });
    expect(fromPage.status).toBe(201);
    const withOrigin = await organiser.request('/api/v1/api-tokens', {
      method: 'POST',
      json: { name: 'with origin' },
      headers: { origin: publicUrl },
    });
    expect(withOrigin.status).toBe(201);
    const campaign = await newCampaign();
    // No body at all, from a script: nothing a cross-site form could send.
    expect((await organiser.request(`/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST' })).status).toBe(200);
  });

  it('exempts requests with a bearer token: they carry no ambient authority', async () => {
    const created = await organiser.json<{ token: string }>('/api/v1/api-tokens', { method: 'POST', json: { name: 'script' } });
    const campaign = await newCampaign();
    const script = new InjectBrowser(chorus.app);
    const answer = await script.request(`/api/v1/campaigns/${campaign.id}/cancel`, {
      method: 'POST',
      headers: { ...evil, authorization: `Bearer ${created.body.token}` },
    });
    expect(answer.status).toBe(200);
  });

  it('cannot sign a browser in or up from another site through the API (login CSRF)', async () => {
    const victim = new InjectBrowser(chorus.app);
    const email = `attacker-${Date.now()}@example.org`;
    const signUp = await victim.request('/api/v1/organisers', {
      method: 'POST',
      form: { email, name: 'Attacker', password: 'attacker password here' },
      headers: evil,
    });
    expect(signUp.status).toBe(403);
    expect(signUp.headers.getSetCookie()).toEqual([]);
    expect(await chorus.ctx.db.selectFrom('organisers').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();

    const { email: attacker } = await signedUpOrganiser(chorus.app);
    const signIn = await victim.request('/api/v1/session', {
      method: 'POST',
      form: { email: attacker, password: 'correct horse battery staple' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(signIn.status).toBe(403);
    expect((await victim.request('/api/v1/me')).status).toBe(401);
  });

  it('cannot sign a browser in or up from another site through the pages: their forms need this browser’s CSRF token', async () => {
    const { email } = await signedUpOrganiser(chorus.app);
    const victim = new InjectBrowser(chorus.app);
    const html = { accept: 'text/html', ...evil };
    const signIn = await victim.request('/organiser/sign-in', {
      method: 'POST',
      form: { email, password: 'correct horse battery staple' },
      headers: html,
    });
    expect(signIn.status).toBe(403);
    // A token from the attacker's own browser is no good in the victim's.
    const attackerToken = await new InjectBrowser(chorus.app).csrfTokenFrom('/organiser/sign-up');
    await victim.request('/organiser/sign-in', { headers: { accept: 'text/html' } });
    const signUp = await victim.request('/organiser/sign-up', {
      method: 'POST',
      form: { _csrf: attackerToken, email: 'planted@example.org', name: 'Planted', password: 'planted password here' },
      headers: html,
    });
    expect(signUp.status).toBe(403);
    expect((await victim.request('/api/v1/me')).status).toBe(401);
  });

  it('reads a page form’s CSRF token from its body only, not from the query', async () => {
    const campaign = await newCampaign();
    const token = await organiser.csrfTokenFrom(`/organiser/campaigns/${campaign.id}`);
    const html = { accept: 'text/html' };
    const inQuery = await organiser.request(`/organiser/campaigns/${campaign.id}/goal?_csrf=${encodeURIComponent(token)}`, {
      method: 'POST',
      form: { goal: '500' },
      headers: html,
    });
    expect(inQuery.status).toBe(403);
    const goal = await chorus.ctx.db.selectFrom('campaigns').select('goal').where('id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(goal.goal).toBe(3);
    const inBody = await organiser.request(`/organiser/campaigns/${campaign.id}/goal`, {
      method: 'POST',
      form: { _csrf: token, goal: '500' },
      headers: html,
    });
    expect(inBody.status).toBe(200);
  });

  it('still takes the token from the query on the multipart image upload, whose body is read after the check', async () => {
    const campaign = await newCampaign();
    const token = await organiser.csrfTokenFrom(`/organiser/campaigns/${campaign.id}/edit`);
    const boundary = 'chorus-test-boundary';
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="imageAlt"', '', 'A description', `--${boundary}--`, ''].join(
      '\r\n',
    );
    const upload = (query: string) =>
      organiser.request(`/organiser/campaigns/${campaign.id}/image${query}`, {
        method: 'POST',
        body,
        headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    // Past the CSRF check, the form is answered on its merits: no file chosen.
    expect((await upload(`?_csrf=${encodeURIComponent(token)}`)).status).toBe(400);
    expect((await upload('')).status).toBe(403);
  });
});
