import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody, signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

const html = { accept: 'text/html' };

// An organiser who left their own organisation (another owner stays) belongs to none (docs/organisations.md): their
// campaign list is empty, not a 404; creating a campaign says to create an organisation first; and they can.
describe('an organiser in no organisation', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
  });
  afterAll(async () => {
    await chorus.close();
  });

  /** An organiser who signed up, made a partner an owner of their organisation, and left it. */
  async function leftTheirOwn(): Promise<{ browser: InjectBrowser; id: string; left: string }> {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const own = (await browser.json<{ id: string }[]>('/api/v1/organisations')).body[0]?.id ?? '';
    const invitation = await browser.json<{ link: string }>(`/api/v1/organisations/${own}/invitations`, {
      method: 'POST',
      json: { role: 'owner' },
    });
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    const partner = await signedUpOrganiser(chorus.app);
    expect((await partner.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token } })).status).toBe(201);
    expect((await browser.json(`/api/v1/organisations/${own}/members/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await browser.json('/api/v1/organisations')).body).toEqual([]);
    return { browser, id, left: own };
  }

  it('answers an empty campaign list, refuses a campaign with what to do, and creates an organisation through the API', async () => {
    const { browser, id, left } = await leftTheirOwn();
    const list = await browser.json<unknown[]>('/api/v1/campaigns');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);

    const refused = await browser.json<{ message: string; field?: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    expect(refused.status).toBe(409);
    expect(refused.body.field).toBe('organisationId');
    expect(refused.body.message).toMatch(/no organisation.*POST \/api\/v1\/organisations/);
    expect(await chorus.ctx.db.selectFrom('campaigns').select('id').where('organiser_id', '=', id).execute()).toEqual([]);

    // A bad name changes nothing.
    const badName = await browser.json<{ field?: string }>('/api/v1/organisations', { method: 'POST', json: { name: '' } });
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe('name');
    const created = await browser.json<{ id: string; name: string; role: string }>('/api/v1/organisations', {
      method: 'POST',
      json: { name: '  Porters for Pay  ' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Porters for Pay', role: 'owner' });
    expect(created.body.id).not.toBe(left);
    const entries = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select(['action', 'actor_organiser_id', 'changes'])
      .where('organisation_id', '=', created.body.id)
      .execute();
    expect(entries).toEqual([{ action: 'organisation.created', actor_organiser_id: id, changes: { name: 'Porters for Pay', owner: id } }]);

    // Now a campaign goes into it, by default.
    const campaign = await browser.json<{ organisationId: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    expect(campaign.status).toBe(201);
    expect(campaign.body.organisationId).toBe(created.body.id);
  });

  it('shows the campaign list page with no campaigns and a form to create an organisation, which works', async () => {
    const { browser, id } = await leftTheirOwn();
    const page = await browser.request('/organiser/campaigns', { headers: html });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('you belong to no organisation');
    expect(text).toContain('<form method="post" action="/organiser/organisations"');
    expect(text).toContain('<label for="name">Name of the organisation</label>');
    expect(text).not.toContain('Start a new campaign');
    // The new-campaign form says what to do instead of offering an organisation.
    const form = await (await browser.request('/organiser/campaigns/new', { headers: html })).text();
    expect(form).toContain('href="/organiser/organisations/new"');

    const _csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
    const empty = await browser.request('/organiser/organisations', { method: 'POST', form: { _csrf, name: ' ' }, headers: html });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/class="field-error" id="name-error">.*Give the organisation a name/);
    expect((await browser.json('/api/v1/organisations')).body).toEqual([]);

    const made = await browser.request('/organiser/organisations', {
      method: 'POST',
      form: { _csrf, name: 'Night porters' },
      headers: html,
    });
    expect(made.status).toBe(303);
    const location = made.headers.get('location') ?? '';
    const organisations = (await browser.json<{ id: string; name: string; role: string }[]>('/api/v1/organisations')).body;
    expect(organisations).toEqual([expect.objectContaining({ name: 'Night porters', role: 'owner' })]);
    expect(location).toBe(`/organiser/campaigns?organisation=${organisations[0]?.id ?? ''}`);
    const after = await (await browser.request(location, { headers: html })).text();
    expect(after).toContain('Campaigns of <strong>Night porters</strong>');
    expect(after).toContain('Start a new campaign');
    const recorded = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select('action')
      .where('actor_organiser_id', '=', id)
      .where('organisation_id', '=', organisations[0]?.id ?? '')
      .execute();
    expect(recorded).toEqual([{ action: 'organisation.created' }]);

    // The page is there for anyone, too, and a visitor is sent to sign in.
    expect((await browser.request('/organiser/organisations/new', { headers: html })).status).toBe(200);
    const visitor = await new InjectBrowser(chorus.app).request('/organiser/organisations/new', { headers: html });
    expect([302, 303]).toContain(visitor.status);
  });
});
