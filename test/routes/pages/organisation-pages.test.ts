import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { campaignBody, signedUpOrganiser } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

// The organisation pages (docs/organisations.md): an owner invites through the page, the invitee joins from the link
// and switches between organisations; a viewer sees the dashboard without the forms that change a campaign.
describe('organisation pages', () => {
  let chorus: TestChorus;
  let owner: InjectBrowser;
  let organisationId: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    ({ browser: owner } = await signedUpOrganiser(chorus.app));
    organisationId = (await owner.json<{ id: string }[]>('/api/v1/organisations')).body[0]?.id ?? '';
  });
  afterAll(async () => {
    await chorus.close();
  });

  /** An invitation made on the organisation page, as the owner copies its link from there. */
  async function inviteThroughPage(role: string): Promise<string> {
    const page = `/organiser/organisations/${organisationId}`;
    const _csrf = await owner.csrfTokenFrom(page);
    const made = await owner.request(`${page}/invitations`, { method: 'POST', form: { _csrf, role, expiresInDays: '7' }, headers: html });
    expect(made.status).toBe(200);
    const link = /id="new-invitation">([^<]+)</.exec(await made.text())?.[1] ?? '';
    expect(link).toMatch(/\/organiser\/invitation\?token=chorus_invite_/);
    const url = new URL(link.replaceAll('&amp;', '&'));
    return `${url.pathname}${url.search}`;
  }

  /** Someone who opens the link signed in and presses Join. */
  async function joinThroughPage(invitee: InjectBrowser, path: string) {
    const offer = await invitee.request(path, { headers: html });
    expect(offer.status).toBe(200);
    const offerPage = await offer.text();
    expect(offerPage).toContain('Join Unison branch');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(offerPage)?.[1] ?? '';
    const token = /name="token" value="([^"]+)"/.exec(offerPage)?.[1] ?? '';
    return invitee.request('/organiser/invitations/accept', { method: 'POST', form: { _csrf, token }, headers: html });
  }

  it('lets an owner invite through the page and the invitee join from the link, once, then switch organisations', async () => {
    const path = await inviteThroughPage('editor');
    // Signed out, the link explains what to do and offers no form.
    const visitor = new InjectBrowser(chorus.app);
    const signedOut = await visitor.request(path, { headers: html });
    expect(signedOut.status).toBe(200);
    const signedOutPage = await signedOut.text();
    expect(signedOutPage).toContain('open this link again');
    expect(signedOutPage).not.toContain('/organiser/invitations/accept');
    expect(signedOut.headers.get('referrer-policy')).toBe('no-referrer');

    const { browser: invitee, id: inviteeId } = await signedUpOrganiser(chorus.app);
    const joined = await joinThroughPage(invitee, path);
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(`/organiser/campaigns?organisation=${organisationId}`);
    expect((await invitee.request(path, { headers: html })).status).toBe(404);

    const list = await invitee.request(`/organiser/campaigns?organisation=${organisationId}`, { headers: html });
    expect(list.status).toBe(200);
    const listPage = await list.text();
    expect(listPage).toContain('aria-label="Switch organisation"');
    expect(listPage).toMatch(/<option value="[^"]+" selected>Unison branch \(editor\)<\/option>/);
    expect(listPage).toContain(`/organiser/campaigns/new?organisation=${organisationId}`);
    // The new-campaign form goes into the chosen organisation.
    const form = await invitee.request(`/organiser/campaigns/new?organisation=${organisationId}`, { headers: html });
    const formPage = await form.text();
    expect(formPage).toContain(`name="organisationId" value="${organisationId}"`);
    // Sent (multipart, for its image; its CSRF token in the query), it creates the campaign there, by the invitee.
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(formPage)?.[1] ?? '';
    const fields = new FormData();
    const launchAt = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 16);
    for (const [name, value] of Object.entries({
      organisationId,
      title: 'Thank our porters',
      link: 'https://example.org/porters',
      message: 'Thank you, porters! https://example.org/porters #Porters',
      goal: '10',
      launchAt,
      timeZone: 'UTC',
      networks: 'x',
      xMode: 'post',
    }))
      fields.append(name, value);
    const created = await invitee.upload(`/organiser/campaigns?_csrf=${encodeURIComponent(_csrf)}`, fields);
    expect(created.status).toBe(303);
    const createdId = /\/organiser\/campaigns\/([0-9a-f-]{36})\/ready$/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .select(['organisation_id', 'organiser_id'])
      .where('id', '=', createdId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ organisation_id: organisationId, organiser_id: inviteeId });
    const elsewhere = await invitee.request('/organiser/campaigns?organisation=00000000-0000-4000-8000-000000000000', {
      headers: html,
    });
    expect(elsewhere.status).toBe(404);
  });

  it('shows a viewer the dashboard and results without the forms that change the campaign, and refuses them (403)', async () => {
    const campaign = (await owner.json<{ id: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() })).body;
    const { browser: viewer } = await signedUpOrganiser(chorus.app);
    expect((await joinThroughPage(viewer, await inviteThroughPage('viewer'))).status).toBe(303);

    const dashboard = await viewer.request(`/organiser/campaigns/${campaign.id}`, { headers: html });
    expect(dashboard.status).toBe(200);
    const dashboardPage = await dashboard.text();
    expect(dashboardPage).toContain('You are a viewer');
    for (const action of ['/goal', '/cancel', '/updates', '/edit', '/erase'])
      expect(dashboardPage).not.toContain(`${campaign.id}${action}`);
    expect((await viewer.request(`/organiser/campaigns/${campaign.id}/edit`, { headers: html })).status).toBe(403);
    expect((await viewer.request(`/organiser/campaigns/${campaign.id}/results.csv`)).status).toBe(200);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(dashboardPage)?.[1] ?? '';
    const goal = await viewer.request(`/organiser/campaigns/${campaign.id}/goal`, {
      method: 'POST',
      form: { _csrf, goal: '50' },
      headers: html,
    });
    expect(goal.status).toBe(403);
    const cancel = await viewer.request(`/organiser/campaigns/${campaign.id}/cancel`, { method: 'POST', form: { _csrf }, headers: html });
    expect(cancel.status).toBe(403);
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .select(['goal', 'state'])
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ goal: 3, state: 'collecting' });
    // The owner's dashboard keeps its forms.
    const ownerView = await owner.request(`/organiser/campaigns/${campaign.id}`, { headers: html });
    expect(await ownerView.text()).toContain(`${campaign.id}/goal`);
    // A viewer's organisation page has no member, invitation or settings forms, and no audit log.
    const organisation = await viewer.request(`/organiser/organisations/${organisationId}`, { headers: html });
    expect(organisation.status).toBe(200);
    expect(await organisation.text()).not.toMatch(/\/members\/[0-9a-f-]{36}\/role|\/invitations"|\/name"|\/audit"/);
    expect((await viewer.request(`/organiser/organisations/${organisationId}/audit`, { headers: html })).status).toBe(403);
  });

  it('shows the owner the audit log, tells the only owner they cannot leave, and shows a stranger nothing (404)', async () => {
    const audit = await owner.request(`/organiser/organisations/${organisationId}/audit`, { headers: html });
    expect(audit.status).toBe(200);
    const auditPage = await audit.text();
    expect(auditPage).toContain('member.joined');
    expect(auditPage).toContain('invitation.created');
    expect(auditPage).not.toContain('chorus_invite_');
    const csv = await owner.request(`/organiser/organisations/${organisationId}/audit.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');

    const page = await owner.request(`/organiser/organisations/${organisationId}`, { headers: html });
    expect(await page.text()).toContain('You are its only owner');
    const { browser: stranger } = await signedUpOrganiser(chorus.app);
    expect((await stranger.request(`/organiser/organisations/${organisationId}`, { headers: html })).status).toBe(404);
    expect((await stranger.request(`/organiser/organisations/${organisationId}/audit`, { headers: html })).status).toBe(404);
  });

  it("renames the organisation from its page (a refused name shown beside its field), and its campaigns' pages name it", async () => {
    const page = `/organiser/organisations/${organisationId}`;
    const _csrf = await owner.csrfTokenFrom(page);
    const refused = await owner.request(`${page}/name`, { method: 'POST', form: { _csrf, name: '   ' }, headers: html });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="name-error"');
    const renamed = await owner.request(`${page}/name`, { method: 'POST', form: { _csrf, name: 'Skills for Health' }, headers: html });
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).toContain('now called Skills for Health');
    // The public page names the organisation that runs the campaign.
    const campaign = (await owner.json<{ slug: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() })).body;
    const publicPage = await new InjectBrowser(chorus.app).request(`/c/${campaign.slug}`, { headers: html });
    expect(await publicPage.text()).toContain('A Chorus campaign by <strong>Skills for Health</strong>');
  });
});
