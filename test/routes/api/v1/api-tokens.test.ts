import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody, signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

interface TokenAnswer {
  id: string;
  name: string;
  token: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

// API tokens (docs/security/sessions.md): minted from a signed-in session only, may expire, show
// their last use, stop at once when revoked, and open the JSON API only.
describe('API tokens', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let organiserId: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    ({ browser: organiser, id: organiserId } = await signedUpOrganiser(chorus.app));
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function newToken(body: Record<string, unknown> = { name: 'nightly report' }): Promise<TokenAnswer> {
    const created = await organiser.request('/api/v1/api-tokens', { method: 'POST', json: body });
    expect(created.status).toBe(201);
    return (await created.json()) as TokenAnswer;
  }

  /** A script calling the API with this token (and no cookie). */
  function script(token: string): Pick<InjectBrowser, 'request'> {
    const browser = new InjectBrowser(chorus.app);
    return {
      request: (url, init) => browser.request(url, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } }),
    };
  }

  async function tokenCount(): Promise<number> {
    return (await chorus.ctx.db.selectFrom('organiser_api_tokens').select('id').where('organiser_id', '=', organiserId).execute()).length;
  }

  it('cannot mint tokens with a token (403), so none outlives the revocation of another', async () => {
    const parent = await newToken();
    const before = await tokenCount();
    const minted = await script(parent.token).request('/api/v1/api-tokens', { method: 'POST', json: { name: 'child' } });
    expect(minted.status).toBe(403);
    expect(await tokenCount()).toBe(before);
  });

  it('cannot open the organiser pages with a token, only the JSON API', async () => {
    const { token } = await newToken();
    const campaign = await organiser.request('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    const { id } = (await campaign.json()) as { id: string };
    const caller = new InjectBrowser(chorus.app);
    for (const path of [
      `/organiser/campaigns/${id}`,
      '/organiser/campaigns',
      '/organiser/account',
      `/organiser/campaigns/${id}/results.csv`,
    ]) {
      const page = await caller.request(path, { headers: { authorization: `Bearer ${token}`, accept: 'text/html' } });
      expect(page.status, path).toBe(403);
      expect(await page.text(), path).not.toContain('Our Health Heroes');
    }
    expect((await script(token).request(`/api/v1/campaigns/${id}`)).status).toBe(200);
  });

  it('may expire: refused after its expiry, and the expiry is shown in the answer and the list', async () => {
    const lasting = await newToken({ name: 'a month', expiresInDays: 30 });
    const expected = Date.now() + 30 * 24 * 60 * 60 * 1000;
    expect(Math.abs(Date.parse(lasting.expires_at ?? '') - expected)).toBeLessThan(60_000);
    expect((await script(lasting.token).request('/api/v1/me')).status).toBe(200);

    await sql`update organiser_api_tokens set expires_at = now() - interval '1 second' where id = ${lasting.id}`.execute(chorus.ctx.db);
    const refused = await script(lasting.token).request('/api/v1/me');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toContain('expired');

    const { body: listed } = await organiser.json<TokenAnswer[]>('/api/v1/api-tokens');
    expect(listed.find((t) => t.id === lasting.id)?.expires_at).not.toBeNull();
    const forever = await newToken({ name: 'until revoked' });
    expect(forever.expires_at).toBeNull();
  });

  it('refuses an expiry that is not a whole number of days from 1 to 366', async () => {
    const before = await tokenCount();
    for (const expiresInDays of [0, 367, 1.5, 'soon']) {
      const answer = await organiser.request('/api/v1/api-tokens', { method: 'POST', json: { name: 'bad', expiresInDays } });
      expect(answer.status, String(expiresInDays)).toBe(400);
    }
    expect(await tokenCount()).toBe(before);
  });

  it('shows its last use, noted at most once a minute', async () => {
    const created = await newToken();
    expect(created.last_used_at).toBeNull();
    await script(created.token).request('/api/v1/me');
    const lastUse = async () =>
      (await organiser.json<TokenAnswer[]>('/api/v1/api-tokens')).body.find((t) => t.id === created.id)?.last_used_at ?? null;
    const first = await lastUse();
    expect(first).not.toBeNull();

    // Used again within the minute: not written again.
    await sql`update organiser_api_tokens set last_used_at = last_used_at - interval '30 seconds' where id = ${created.id}`.execute(
      chorus.ctx.db,
    );
    const halfAMinuteAgo = await lastUse();
    await script(created.token).request('/api/v1/me');
    expect(await lastUse()).toBe(halfAMinuteAgo);

    // A minute or more later: noted.
    await sql`update organiser_api_tokens set last_used_at = last_used_at - interval '2 minutes' where id = ${created.id}`.execute(
      chorus.ctx.db,
    );
    await script(created.token).request('/api/v1/me');
    expect(Date.now() - Date.parse((await lastUse()) ?? '')).toBeLessThan(10_000);
  });

  it('stops working at once when revoked, from the API or from the account page', async () => {
    const byApi = await newToken();
    expect((await script(byApi.token).request('/api/v1/campaigns')).status).toBe(200);
    expect((await organiser.request(`/api/v1/api-tokens/${byApi.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await script(byApi.token).request('/api/v1/campaigns')).status).toBe(401);

    const byPage = await newToken({ name: 'revoked on the page' });
    const csrf = await organiser.csrfTokenFrom('/organiser/account');
    const revoked = await organiser.request(`/organiser/account/api-tokens/${byPage.id}/revoke`, {
      method: 'POST',
      form: { _csrf: csrf },
      headers: { accept: 'text/html' },
    });
    expect(revoked.status).toBe(200);
    expect((await script(byPage.token).request('/api/v1/campaigns')).status).toBe(401);
  });

  it("creates a token on the account page, shows it once, and lists each token's last use and expiry", async () => {
    const { browser } = await signedUpOrganiser(chorus.app);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    const created = await browser.request('/organiser/account/api-tokens', {
      method: 'POST',
      form: { _csrf: csrf, name: 'weekly export', expiresInDays: '7' },
      headers: { accept: 'text/html' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token = /chorus_pat_[A-Za-z0-9_-]+/.exec(await created.text())?.[0] ?? '';
    expect((await script(token).request('/api/v1/me')).status).toBe(200);

    const page = await (await browser.request('/organiser/account', { headers: { accept: 'text/html' } })).text();
    expect(page).not.toContain(token);
    expect(page).toContain('weekly export');
    const row = /<tr>\s*<th scope="row">weekly export<\/th>([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    const cells = [...row.matchAll(/<td data-label="[^"]*">([^<]*)<\/td>/g)].map((match) => match[1]?.trim());
    // Created, last used (just now, by the script above), expires in 7 days.
    expect(cells).toHaveLength(3);
    expect(cells[1]).not.toBe('Never');
    expect(cells[2]).toMatch(/\d{4}, \d{2}:\d{2} UTC$/);
  });

  it('refuses a token name the text rule refuses on the account page, beside the field, and creates nothing', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    const refused = await browser.request('/organiser/account/api-tokens', {
      method: 'POST',
      form: { _csrf: csrf, name: 'weekly\u0000export', expiresInDays: '7' },
      headers: { accept: 'text/html' },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/id="name[^"]*-error"[^>]*>[\s\S]*?U\+0000/);
    const rows = await chorus.ctx.db.selectFrom('organiser_api_tokens').select('id').where('organiser_id', '=', id).execute();
    expect(rows).toEqual([]);
  });
});
