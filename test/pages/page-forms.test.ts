import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

const html = { accept: 'text/html' };

/** The CSRF token of the first form on a page. */
async function pageWithToken(browser: Browser, url: string): Promise<{ status: number; html: string; token: string }> {
  const response = await browser.request(url, { headers: html });
  const text = await response.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
  return { status: response.status, html: text, token };
}

describe('organiser forms', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  const campaignCount = async () => (await chorus.ctx.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('re-renders the new-campaign form with messages beside the fields and the input kept, creating nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    expect(form.status).toBe(200);
    const before = await campaignCount();

    const response = await organiser.request(`${chorus.url}/organiser/campaigns`, {
      headers: html,
      form: { _csrf: form.token, title: 'Thank our porters', link: 'not a link', message: 'Thank you, porters!', goal: 'lots', launchAt: '', timeZone: 'Europe/London', networks: 'x' },
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toContain('There is a problem');
    expect(page).toMatch(/id="link-error">.*Give the campaign link, starting with https:\/\//s);
    expect(page).toMatch(/id="goal-error">.*Give the goal as a whole number/s);
    expect(page).toContain('value="Thank our porters"');
    expect(page).toContain('Thank you, porters!</textarea>');
    expect(page).toContain('<option value="Europe/London" selected>');
    expect(await campaignCount()).toBe(before);
  });

  it('places a rule the campaign breaks (a launch too far ahead) beside its field', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    const before = await campaignCount();
    const response = await organiser.request(`${chorus.url}/organiser/campaigns`, {
      headers: html,
      form: {
        _csrf: form.token,
        title: 'Thank our porters',
        link: 'https://example.org/porters',
        message: 'Thank you, porters! #Porters',
        goal: '10',
        launchAt: '2099-01-01T09:00',
        timeZone: 'Europe/London',
        networks: 'x',
      },
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toMatch(/id="launchAt-error">.*at most 60 days away/s);
    expect(page).toContain('value="https://example.org/porters"');
    expect(await campaignCount()).toBe(before);
  });

  it('refuses a form sent without its CSRF token, changing nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; goal: number }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 3 }) });
    expect(created.status).toBe(201);
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, { headers: html, form: { goal: '50' } });
    expect(response.status).toBe(403);
    const forged = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, { headers: html, form: { goal: '50', _csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const row = await chorus.ctx.db.selectFrom('campaigns').select('goal').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.goal).toBe(3);
  });

  it('will not lower the goal once supporters are pledging, and says so beside the field', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 5 }) });
    const dashboard = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/${created.body.id}`);
    expect(dashboard.status).toBe(200);
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, { headers: html, form: { _csrf: dashboard.token, goal: '2' } });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toMatch(/id="goal-error">.*The goal can only be raised \(it is 5\)/s);
    expect(page).toContain('value="2"');
    const row = await chorus.ctx.db.selectFrom('campaigns').select('goal').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.goal).toBe(5);
  });

  it('refuses an upload that is not an image, keeping the campaign as it was', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const edit = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/${created.body.id}/edit`);
    const token = /image\?_csrf=([^"]+)"/.exec(edit.html)?.[1] ?? '';
    const body = new FormData();
    body.set('imageAlt', 'A poster');
    body.set('image', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), 'poster.png');
    const response = await organiser.upload(`${chorus.url}/organiser/campaigns/${created.body.id}/image?_csrf=${token}`, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/id="image-error">.*not a PNG, JPEG or WebP image/s);
    const row = await chorus.ctx.db.selectFrom('campaigns').select('image_file').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.image_file).toBeNull();
  });

  it('counts visits to a short link and redirects to the campaign page', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string; id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const page = await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html });
    const text = await page.text();
    const code = new RegExp(`${chorus.url}/s/([A-Za-z0-9]{6})`).exec(text)?.[1] ?? '';
    expect(code).toHaveLength(6);
    for (let i = 0; i < 2; i++) {
      const hop = await new Browser().request(`${chorus.url}/s/${code}`);
      expect(hop.status).toBe(302);
      expect(hop.headers.get('location')).toBe(`/c/${created.body.slug}`);
    }
    const row = await chorus.ctx.db.selectFrom('short_links').select('visits').where('campaign_id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.visits).toBe(2);
  });

  it('shows a campaign page rendered once for visitors, and a signed-in organiser their own sign-out form', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ title: 'Thank our cleaners' }) });
    const visitor = await (await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html })).text();
    expect(visitor).toContain('Thank our cleaners');
    expect(visitor).not.toContain('name="_csrf"');
    const own = await (await organiser.request(`${chorus.url}/c/${created.body.slug}`, { headers: html })).text();
    expect(own).toContain('Thank our cleaners');
    expect(own).toMatch(/name="_csrf" value="[^"]+"/);
  });
});
