import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

const allOn = { 'goal-reached': true, 'launch-preflight': true, 'launch-report': true, 'delivery-trouble': true };

// Which organisers' mails each organiser gets (docs/mail.md): through the API and the account page.
describe("an organiser's mail settings", () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
  });
  afterAll(async () => {
    await chorus.close();
  });

  function storedSettings(organiserId: string) {
    return chorus.ctx.db
      .selectFrom('organiser_mail_settings')
      .select(['kind', 'enabled'])
      .where('organiser_id', '=', organiserId)
      .orderBy('kind')
      .execute();
  }

  it('are all on at first, and PUT switches the kinds it names, leaving the others', async () => {
    const { browser } = await signedUpOrganiser(chorus.app);
    const first = await browser.json('/api/v1/me/mail-settings');
    expect(first.status).toBe(200);
    expect(first.body).toEqual(allOn);

    const changed = await browser.json('/api/v1/me/mail-settings', {
      method: 'PUT',
      json: { 'goal-reached': false, 'launch-report': false },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...allOn, 'goal-reached': false, 'launch-report': false });
    const back = await browser.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'launch-report': true } });
    expect(back.body).toEqual({ ...allOn, 'goal-reached': false });
    expect((await browser.json('/api/v1/me/mail-settings')).body).toEqual({ ...allOn, 'goal-reached': false });
  });

  it('refuse an unknown kind or a value that is not a boolean with a 400 naming it, and change nothing', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const unknown = await browser.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'goal-reached': false, newsletter: true } });
    expect(unknown.status).toBe(400);
    const wrongType = await browser.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'goal-reached': 'no' } });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body as { field?: string }).field).toBe('goal-reached');
    expect(await storedSettings(id)).toEqual([]);
  });

  it('are only for the signed-in organiser, and an API token may read and change them', async () => {
    const stranger = new InjectBrowser(chorus.app);
    expect((await stranger.json('/api/v1/me/mail-settings')).status).toBe(401);
    expect((await stranger.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'goal-reached': false } })).status).toBe(401);

    const { browser, id } = await signedUpOrganiser(chorus.app);
    const token = (await browser.json<{ token: string }>('/api/v1/api-tokens', { json: { name: 'settings script' } })).body.token;
    const script = new InjectBrowser(chorus.app);
    const headers = { authorization: `Bearer ${token}` };
    const changed = await script.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'delivery-trouble': false }, headers });
    expect(changed.status).toBe(200);
    expect(await storedSettings(id)).toEqual([{ kind: 'delivery-trouble', enabled: false }]);
  });

  it('are shown on the account page as ticked boxes, and its form switches off the unticked ones', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    const saved = await browser.request('/organiser/account/mail-settings', {
      form: { _csrf: csrf, 'goal-reached': 'on', 'launch-preflight': 'on' },
      headers: { accept: 'text/html' },
    });
    expect(saved.status).toBe(200);
    const savedPage = await saved.text();
    expect(savedPage).toContain('Your mail settings are saved.');
    expect(savedPage).toContain("These settings are yours alone and apply to every organisation's campaigns");
    expect(savedPage).toMatch(/id="mail-goal-reached" name="goal-reached" value="on" checked>/);
    expect(savedPage).toMatch(/id="mail-launch-report" name="launch-report" value="on">/);
    expect((await browser.json('/api/v1/me/mail-settings')).body).toEqual({
      ...allOn,
      'launch-report': false,
      'delivery-trouble': false,
    });

    // A box sends 'on' or nothing: another value is refused, not read as ticked.
    const odd = await browser.request('/organiser/account/mail-settings', {
      form: { _csrf: csrf, 'launch-report': 'yes' },
      headers: { accept: 'text/html' },
    });
    expect(odd.status).toBe(400);
    expect(await storedSettings(id)).toEqual([
      { kind: 'delivery-trouble', enabled: false },
      { kind: 'goal-reached', enabled: true },
      { kind: 'launch-preflight', enabled: true },
      { kind: 'launch-report', enabled: false },
    ]);
  });
});

describe('the privacy page, on mail', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { MAIL_RETENTION_DAYS: '14' } });
  });
  afterAll(async () => {
    await chorus.close();
  });

  it("says how long a mail to an organiser is kept, with this install's figure", async () => {
    const page = await new InjectBrowser(chorus.app).request('/privacy', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('each mail, with your address, is kept 14 days after it was sent');
  });
});

describe("an organiser's mail settings, rate-limited", () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    // A tenth of the production limits: 12 requests per organiser in 15 minutes.
    chorus = await startTestChorus({ listen: false, env: { RATE_LIMIT_SCALE: '0.1' } });
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('answers 429 with Retry-After past the limit, counting the API and the page form together, and changes nothing then', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    for (let read = 0; read < 11; read++) expect((await browser.json('/api/v1/me/mail-settings')).status).toBe(200);
    const lastAllowed = await browser.request('/organiser/account/mail-settings', {
      form: { _csrf: csrf, 'goal-reached': 'on' },
      headers: { accept: 'text/html' },
    });
    expect(lastAllowed.status).toBe(200);
    const refused = await browser.json('/api/v1/me/mail-settings', { method: 'PUT', json: { 'goal-reached': true } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const stored = await chorus.ctx.db
      .selectFrom('organiser_mail_settings')
      .select('kind')
      .where('organiser_id', '=', id)
      .where('enabled', '=', true)
      .execute();
    expect(stored).toEqual([{ kind: 'goal-reached' }]);
  });
});
