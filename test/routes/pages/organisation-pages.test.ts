import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectClient, signedUpOrganiser } from '../../support/inject-client.ts';
import { campaignBody } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

// The organisation pages (docs/organisations.md): an owner invites through the page, the invitee joins from the link
// and switches between organisations; a viewer sees the dashboard without the forms that change a campaign.
describe('organisation pages', () => {
  let chorus: TestChorus;
  let owner: InjectClient;
  let organisationId: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    ({ browser: owner } = await signedUpOrganiser(chorus.app));
    organisationId = (await owner.request('GET', '/api/v1/organisations')).json<{ id: string }[]>()[0]?.id ?? '';
  });
  afterAll(async () => {
    await chorus.close();
  });

  /** An invitation made on the organisation page, as the owner copies its link from there. */
  async function inviteThroughPage(role: string): Promise<string> {
    const page = `/organiser/organisations/${organisationId}`;
    const _csrf = await owner.csrfTokenFrom(page);
    const made = await owner.request('POST', `${page}/invitations`, { form: { _csrf, role, expiresInDays: '7' }, headers: html });
    expect(made.statusCode).toBe(200);
    const link = /id="new-invitation">([^<]+)</.exec(made.body)?.[1] ?? '';
    expect(link).toMatch(/\/organiser\/invitation\?token=chorus_invite_/);
    const url = new URL(link.replaceAll('&amp;', '&'));
    return `${url.pathname}${url.search}`;
  }

  /** Someone who opens the link signed in and presses Join. */
  async function joinThroughPage(invitee: InjectClient, path: string) {
    const offer = await invitee.request('GET', path, { headers: html });
    expect(offer.statusCode).toBe(200);
    expect(offer.body).toContain('Join Unison branch');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(offer.body)?.[1] ?? '';
    const token = /name="token" value="([^"]+)"/.exec(offer.body)?.[1] ?? '';
    return invitee.request('POST', '/organiser/invitations/accept', { form: { _csrf, token }, headers: html });
  }

  it('lets an owner invite through the page and the invitee join from the link, once, then switch organisations', async () => {
    const path = await inviteThroughPage('editor');
    // Signed out, the link explains what to do and offers no form.
    const visitor = new InjectClient(chorus.app);
    const signedOut = await visitor.request('GET', path, { headers: html });
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.body).toContain('open this link again');
    expect(signedOut.body).not.toContain('/organiser/invitations/accept');
    expect(signedOut.headers['referrer-policy']).toBe('no-referrer');

    const { browser: invitee } = await signedUpOrganiser(chorus.app);
    const joined = await joinThroughPage(invitee, path);
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe(`/organiser/campaigns?organisation=${organisationId}`);
    expect((await invitee.request('GET', path, { headers: html })).statusCode).toBe(404);

    const list = await invitee.request('GET', `/organiser/campaigns?organisation=${organisationId}`, { headers: html });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('aria-label="Switch organisation"');
    expect(list.body).toMatch(/<option value="[^"]+" selected>Unison branch \(editor\)<\/option>/);
    expect(list.body).toContain(`/organiser/campaigns/new?organisation=${organisationId}`);
    // The new-campaign form goes into the chosen organisation.
    const form = await invitee.request('GET', `/organiser/campaigns/new?organisation=${organisationId}`, { headers: html });
    expect(form.body).toContain(`name="organisationId" value="${organisationId}"`);
    const elsewhere = await invitee.request('GET', '/organiser/campaigns?organisation=00000000-0000-4000-8000-000000000000', {
      headers: html,
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('shows a viewer the dashboard and results without the forms that change the campaign, and refuses them (403)', async () => {
    const created = await owner.request('POST', '/api/v1/campaigns', { json: campaignBody() });
    const campaign = created.json<{ id: string }>();
    const { browser: viewer } = await signedUpOrganiser(chorus.app);
    expect((await joinThroughPage(viewer, await inviteThroughPage('viewer'))).statusCode).toBe(303);

    const dashboard = await viewer.request('GET', `/organiser/campaigns/${campaign.id}`, { headers: html });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('You are a viewer');
    for (const action of ['/goal', '/cancel', '/updates', '/edit', '/erase'])
      expect(dashboard.body).not.toContain(`${campaign.id}${action}`);
    expect((await viewer.request('GET', `/organiser/campaigns/${campaign.id}/edit`, { headers: html })).statusCode).toBe(403);
    expect((await viewer.request('GET', `/organiser/campaigns/${campaign.id}/results.csv`)).statusCode).toBe(200);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1] ?? '';
    const goal = await viewer.request('POST', `/organiser/campaigns/${campaign.id}/goal`, { form: { _csrf, goal: '50' }, headers: html });
    expect(goal.statusCode).toBe(403);
    const cancel = await viewer.request('POST', `/organiser/campaigns/${campaign.id}/cancel`, { form: { _csrf }, headers: html });
    expect(cancel.statusCode).toBe(403);
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .select(['goal', 'state'])
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ goal: 3, state: 'collecting' });
    // The owner's dashboard keeps its forms.
    const ownerView = await owner.request('GET', `/organiser/campaigns/${campaign.id}`, { headers: html });
    expect(ownerView.body).toContain(`${campaign.id}/goal`);
    // A viewer's organisation page has no member, invitation or settings forms, and no audit log.
    const organisation = await viewer.request('GET', `/organiser/organisations/${organisationId}`, { headers: html });
    expect(organisation.statusCode).toBe(200);
    expect(organisation.body).not.toMatch(/\/members\/[0-9a-f-]{36}\/role|\/invitations"|\/name"|\/audit"/);
    expect((await viewer.request('GET', `/organiser/organisations/${organisationId}/audit`, { headers: html })).statusCode).toBe(403);
  });

  it('shows the owner the audit log, tells the only owner they cannot leave, and shows a stranger nothing (404)', async () => {
    const audit = await owner.request('GET', `/organiser/organisations/${organisationId}/audit`, { headers: html });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('member.joined');
    expect(audit.body).toContain('invitation.created');
    expect(audit.body).not.toContain('chorus_invite_');
    const csv = await owner.request('GET', `/organiser/organisations/${organisationId}/audit.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');

    const page = await owner.request('GET', `/organiser/organisations/${organisationId}`, { headers: html });
    expect(page.body).toContain('You are its only owner');
    const { browser: stranger } = await signedUpOrganiser(chorus.app);
    expect((await stranger.request('GET', `/organiser/organisations/${organisationId}`, { headers: html })).statusCode).toBe(404);
    expect((await stranger.request('GET', `/organiser/organisations/${organisationId}/audit`, { headers: html })).statusCode).toBe(404);
  });

  it("renames the organisation from its page (a refused name shown beside its field), and its campaigns' pages name it", async () => {
    const page = `/organiser/organisations/${organisationId}`;
    const _csrf = await owner.csrfTokenFrom(page);
    const refused = await owner.request('POST', `${page}/name`, { form: { _csrf, name: '   ' }, headers: html });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('id="name-error"');
    const renamed = await owner.request('POST', `${page}/name`, { form: { _csrf, name: 'Skills for Health' }, headers: html });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.body).toContain('now called Skills for Health');
    // The public page names the organisation that runs the campaign.
    const campaign = (await owner.request('POST', '/api/v1/campaigns', { json: campaignBody() })).json<{ slug: string }>();
    const publicPage = await new InjectClient(chorus.app).request('GET', `/c/${campaign.slug}`, { headers: html });
    expect(publicPage.body).toContain('A Chorus campaign by <strong>Skills for Health</strong>');
  });
});
