import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchJobId } from '../../../../src/jobs/queues.ts';
import { submitConsent } from '../../../networks/x/x-sandbox-consent-driver.ts';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody } from '../../../support/organiser.ts';
import { pledgesHoldingGrants } from '../../../support/campaign-grants.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';
import { secretOfUri, totpCode } from '../../../support/totp-codes.ts';

interface CampaignAnswer {
  id: string;
  slug: string;
  state: string;
  reviewNote: string | null;
  message?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

const password = 'correct horse battery staple';

// Review before publishing, sign-up modes, reports and suspensions through the API, with review on and the first
// account made the operator, as a fresh production-like instance runs (the other tests turn both off).
describe('operators through the API', () => {
  let chorus: TestChorus;
  let operator: InjectBrowser;
  let organiser: InjectBrowser;
  let api: string;

  async function signUp(email: string, extra: Record<string, unknown> = {}) {
    const browser = new InjectBrowser(chorus.app);
    const answer = await browser.json<{ id: string; message?: string }>(`${api}/organisers`, {
      json: { email, name: 'A charity', password, ...extra },
    });
    return { browser, answer };
  }

  async function turnOnTwoFactor(browser: InjectBrowser) {
    const started = await browser.json<{ otpauthUri: string }>(`${api}/me/two-factor`, { method: 'POST' });
    expect(started.status).toBe(201);
    const confirmed = await browser.json(`${api}/me/two-factor/confirmation`, {
      json: { code: totpCode(secretOfUri(started.body.otpauthUri)) },
    });
    expect(confirmed.status).toBe(200);
  }

  async function create(browser: InjectBrowser, overrides: Record<string, unknown> = {}, secondsAhead = 3600) {
    const created = await browser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody(overrides, secondsAhead) });
    expect(created.status).toBe(201);
    return created.body;
  }

  const organisationOf = async (browser: InjectBrowser) => (await browser.json<{ id: string }[]>(`${api}/organisations`)).body[0]?.id ?? '';

  /** A supporter pledges to the campaign through the sandbox X's consent page. */
  async function pledgeThroughX(slug: string, username: string) {
    const supporter = new InjectBrowser(chorus.app);
    const started = await supporter.request(`${api}/public/campaigns/${slug}/connect/x`);
    const callback = await submitConsent(started.headers.get('location') ?? '', { username, followers: '10' });
    expect((await supporter.json(callback)).status).toBe(201);
  }

  const grantsOf = (campaignId: string) => pledgesHoldingGrants(chorus.ctx.db, campaignId);

  const stateOf = async (id: string) =>
    (await chorus.ctx.db.selectFrom('campaigns').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { CAMPAIGN_REVIEW: 'on', FIRST_ACCOUNT_OPERATOR: 'on' } });
    api = `${chorus.url}/api/v1`;
    const first = await signUp('first@example.org');
    expect(first.answer.status).toBe(201);
    operator = first.browser;
    const second = await signUp('organiser@example.org');
    expect(second.answer.status).toBe(201);
    organiser = second.browser;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('makes the first account the operator, and refuses it operator routes until two-factor sign-in is on', async () => {
    const roles = await chorus.ctx.db.selectFrom('organisers').select(['email', 'role']).orderBy('created_at').execute();
    expect(roles).toEqual([
      { email: 'first@example.org', role: 'operator' },
      { email: 'organiser@example.org', role: 'organiser' },
    ]);
    const refused = await operator.json<{ message: string }>(`${api}/operator/overview`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/two-factor/);
    await turnOnTwoFactor(operator);
    const overview = await operator.json<{ policy: { signUpMode: string; campaignReview: boolean } }>(`${api}/operator/overview`);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('cache-control')).toBe('no-store');
    expect(overview.body.policy).toEqual({ signUpMode: 'open', campaignReview: true, contactEmail: null });
  });

  it('refuses an organiser, and a visitor, every operator route', async () => {
    const document = (await operator.json<OpenApiDocument>(`${api}/openapi.json`)).body;
    const routes = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/operator/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
    expect(routes.length).toBeGreaterThanOrEqual(16);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/v1/operator/organisations' },
        { method: 'PUT', path: '/api/v1/operator/organisations/{id}/trust' },
        { method: 'POST', path: '/api/v1/operator/organisations/{id}/suspend' },
        { method: 'POST', path: '/api/v1/operator/organisations/{id}/reinstate' },
      ]),
    );
    const visitor = new InjectBrowser(chorus.app);
    const someId = '00000000-0000-4000-8000-000000000000';
    for (const { method, path } of routes) {
      const url = `${chorus.url}${path.replaceAll(/\{\w+\}/g, someId)}${path.endsWith('/campaigns') ? '?state=draft' : ''}`;
      const init = method === 'GET' ? { method } : { method, json: {} };
      expect((await organiser.json(url, init)).status, `${method} ${path} as an organiser`).toBe(403);
      expect((await visitor.json(url, init)).status, `${method} ${path} signed out`).toBe(401);
    }
  });

  it('holds a published campaign for review, out of public sight; returned with a reason, fixed, then approved', async () => {
    const campaign = await create(organiser);
    expect(campaign.state).toBe('in_review');
    expect((await new InjectBrowser(chorus.app).json(`${api}/public/campaigns/${campaign.slug}`)).status).toBe(404);
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(campaign.id))).toBeUndefined();
    const waiting = await operator.json<CampaignAnswer[]>(`${api}/operator/campaigns?state=in_review`);
    expect(waiting.body.map((c) => c.id)).toContain(campaign.id);

    const returned = await operator.json<CampaignAnswer>(`${api}/operator/campaigns/${campaign.id}/return`, {
      json: { reason: 'Name the charity in the message.' },
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ state: 'draft', reviewNote: 'Name the charity in the message.' });
    const seen = await organiser.json<CampaignAnswer>(`${api}/campaigns/${campaign.id}`);
    expect(seen.body.reviewNote).toBe('Name the charity in the message.');

    const fixed = await organiser.json(`${api}/campaigns/${campaign.id}`, {
      method: 'PATCH',
      json: { message: `Skills for Health thanks support workers. ${String(campaignBody().link)} #OurHealthHeroes` },
    });
    expect(fixed.status).toBe(200);
    const again = await organiser.json<CampaignAnswer>(`${api}/campaigns/${campaign.id}/publish`, { method: 'POST' });
    expect(again.body).toMatchObject({ state: 'in_review', reviewNote: null });
    const approved = await operator.json<CampaignAnswer>(`${api}/operator/campaigns/${campaign.id}/approve`, { method: 'POST' });
    expect(approved.body.state).toBe('collecting');
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(campaign.id))).toBeDefined();
    expect((await new InjectBrowser(chorus.app).json(`${api}/public/campaigns/${campaign.slug}`)).status).toBe(200);

    // A new goal leaves it collecting; new words send it back to review.
    await organiser.json(`${api}/campaigns/${campaign.id}`, { method: 'PATCH', json: { goal: 10 } });
    expect(await stateOf(campaign.id)).toBe('collecting');
    const reworded = await organiser.json<CampaignAnswer>(`${api}/campaigns/${campaign.id}`, {
      method: 'PATCH',
      json: { variants: [`A new variant. ${String(campaignBody().link)} #OurHealthHeroes`] },
    });
    expect(reworded.body.state).toBe('in_review');

    // The operator's decisions are in the organisation's audit log, for its owner to read, with who made them.
    const operatorId = (await operator.json<{ id: string }>(`${api}/me`)).body.id;
    const organisationId = (await organiser.json<{ id: string }[]>(`${api}/organisations`)).body[0]?.id ?? '';
    const log = await organiser.json<{ entries: { action: string; actorOrganiserId: string | null; campaignId: string | null }[] }>(
      `${api}/organisations/${organisationId}/audit-log`,
    );
    expect(log.status).toBe(200);
    const byOperator = log.body.entries.filter((e) => e.campaignId === campaign.id && e.actorOrganiserId === operatorId);
    expect(byOperator.map((e) => e.action)).toEqual(['campaign.approved', 'campaign.returned']);
  });

  it('refuses to approve a campaign whose launch time passed in review, until the organiser picks a new one', async () => {
    const campaign = await create(organiser, {}, 2);
    expect(campaign.state).toBe('in_review');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const refused = await operator.json<{ message: string }>(`${api}/operator/campaigns/${campaign.id}/approve`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/new one/);
    expect(await stateOf(campaign.id)).toBe('in_review');
    const moved = await organiser.json(`${api}/campaigns/${campaign.id}`, {
      method: 'PATCH',
      json: { launchAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(moved.status).toBe(200);
    expect((await operator.json(`${api}/operator/campaigns/${campaign.id}/approve`, { method: 'POST' })).status).toBe(200);
  });

  it("lets a trusted organisation's campaigns skip review, whichever member publishes them", async () => {
    const { browser: owner } = await signUp('trusted@example.org');
    const organisationId = await organisationOf(owner);
    expect((await create(owner)).state).toBe('in_review');
    const trust = await operator.json<{ id: string; trusted: boolean }>(`${api}/operator/organisations/${organisationId}/trust`, {
      method: 'PUT',
      json: { trusted: true },
    });
    expect(trust.status).toBe(200);
    expect(trust.body).toMatchObject({ id: organisationId, trusted: true });
    expect((await create(owner)).state).toBe('collecting');
    // An editor invited in publishes as the organisation, trusted; their own organisation is not.
    const { browser: editor } = await signUp('trusted-editor@example.org');
    const invitation = await owner.json<{ link: string }>(`${api}/organisations/${organisationId}/invitations`, {
      json: { role: 'editor' },
    });
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    expect((await editor.json(`${api}/invitations/acceptance`, { json: { token } })).status).toBe(201);
    const draft = await create(editor, { organisationId, publish: false });
    expect((await editor.json<CampaignAnswer>(`${api}/campaigns/${draft.id}/publish`, { method: 'POST' })).body.state).toBe('collecting');
    expect((await create(editor)).state).toBe('in_review');
    await operator.json(`${api}/operator/organisations/${organisationId}/trust`, { method: 'PUT', json: { trusted: false } });
    expect((await create(owner)).state).toBe('in_review');
    const listed = await operator.json<{ id: string; owners: string[]; campaigns: number; trusted: boolean; standing: string }[]>(
      `${api}/operator/organisations`,
    );
    expect(listed.body.find((o) => o.id === organisationId)).toMatchObject({
      owners: ['trusted@example.org'],
      campaigns: 4,
      trusted: false,
      standing: 'active',
    });
    const entries = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select(['action', 'changes'])
      .where('organisation_id', '=', organisationId)
      .where('action', '=', 'organisation.trusted')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.changes)).toEqual([{ trusted: true }, { trusted: false }]);
  });

  it("suspends an organisation: its campaigns stop, their grants go, and its members' tokens are refused there only, until reinstated", async () => {
    const { browser: owner } = await signUp('suspended-organisation@example.org');
    const organisationId = await organisationOf(owner);
    await operator.json(`${api}/operator/organisations/${organisationId}/trust`, { method: 'PUT', json: { trusted: true } });
    const collecting = await create(owner);
    expect(collecting.state).toBe('collecting');
    const draft = await create(owner, { publish: false });
    await pledgeThroughX(collecting.slug, 'org_supporter');
    const grants = () => grantsOf(collecting.id);
    expect(await grants()).toHaveLength(1);

    // A member of two organisations, with an API token made through the API tokens route.
    const { browser: member } = await signUp('member-of-two@example.org');
    const otherOrganisationId = await organisationOf(member);
    const invitation = await owner.json<{ link: string }>(`${api}/organisations/${organisationId}/invitations`, {
      json: { role: 'editor' },
    });
    const invitationToken = new URL(invitation.body.link).searchParams.get('token') ?? '';
    expect((await member.json(`${api}/invitations/acceptance`, { json: { token: invitationToken } })).status).toBe(201);
    const made = await member.json<{ token: string }>(`${api}/api-tokens`, { json: { name: 'a script' } });
    expect(made.status).toBe(201);
    const script = new InjectBrowser(chorus.app);
    const bearer = { authorization: `Bearer ${made.body.token}` };
    const asScript = (path: string, init: Record<string, unknown> = {}) =>
      script.json<{ message?: string; reason?: string }>(`${api}${path}`, { headers: bearer, ...init });
    const theirs = await create(member, { organisationId: otherOrganisationId, publish: false });
    expect((await asScript(`/campaigns?organisationId=${organisationId}`)).status).toBe(200);
    expect((await asScript(`/campaigns/${collecting.id}`)).status).toBe(200);

    const suspended = await operator.json<{ standing: string; campaignsSuspended: number; suspensionReason: string }>(
      `${api}/operator/organisations/${organisationId}/suspend`,
      { json: { reason: 'Reported for misleading campaigns.' } },
    );
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({
      standing: 'suspended',
      campaignsSuspended: 2,
      suspensionReason: 'Reported for misleading campaigns.',
    });
    expect(await stateOf(collecting.id)).toBe('suspended');
    expect(await stateOf(draft.id)).toBe('suspended');
    expect(await grants()).toEqual([]);
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(collecting.id))).toBeUndefined();

    // Everything acting on the organisation is refused, reads included, with the reason named; nothing else is.
    for (const [method, path] of [
      ['GET', `/campaigns?organisationId=${organisationId}`],
      ['GET', `/campaigns/${collecting.id}`],
      ['GET', `/campaigns/${collecting.id}/supporters`],
      ['GET', `/organisations/${organisationId}`],
      ['PATCH', `/campaigns/${draft.id}`],
    ] as const) {
      const refused = await asScript(path, method === 'GET' ? {} : { method, json: { title: 'Renamed' } });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.body.reason, `${method} ${path}`).toBe('organisation-suspended');
      expect(refused.body.message).toMatch(/suspended by this Chorus's operators/);
    }
    expect((await asScript('/campaigns', { json: campaignBody({ organisationId, publish: false }) })).status).toBe(403);
    expect((await owner.json(`${api}/campaigns/${collecting.id}`)).status).toBe(403);
    const all = await asScript('/campaigns');
    expect(all.status).toBe(200);
    expect((all.body as unknown as { id: string }[]).map((c) => c.id)).toEqual([theirs.id]);
    expect((await asScript(`/campaigns?organisationId=${otherOrganisationId}`)).status).toBe(200);
    expect((await asScript('/campaigns', { json: campaignBody({ organisationId: otherOrganisationId, publish: false }) })).status).toBe(
      201,
    );
    const memberships = await asScript('/organisations');
    expect(memberships.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: organisationId, standing: 'suspended' }),
        expect.objectContaining({ id: otherOrganisationId, standing: 'active' }),
      ]),
    );

    // The pages say why, and who: the campaign list of the organisation, and a campaign's dashboard.
    const html = { headers: { accept: 'text/html' } };
    const list = await owner.request(`${chorus.url}/organiser/campaigns?organisation=${organisationId}`, html);
    expect(list.status).toBe(403);
    const listText = await list.text();
    expect(listText).toContain("has been suspended by this Chorus's operators");
    expect(listText).not.toContain(collecting.slug);
    const dashboard = await owner.request(`${chorus.url}/organiser/campaigns/${collecting.id}`, html);
    expect(dashboard.status).toBe(403);
    const dashboardText = await dashboard.text();
    expect(dashboardText).toContain('Organisation suspended');
    expect(dashboardText).toContain('This organisation has been suspended by this Chorus&#39;s operators');
    expect((await member.request(`${chorus.url}/organiser/campaigns?organisation=${otherOrganisationId}`, html)).status).toBe(200);

    const reinstated = await operator.json<{ standing: string; campaignsReinstated: number }>(
      `${api}/operator/organisations/${organisationId}/reinstate`,
      { method: 'POST' },
    );
    expect(reinstated.body).toEqual(expect.objectContaining({ standing: 'active', campaignsReinstated: 2 }));
    expect(await stateOf(collecting.id)).toBe('collecting');
    expect(await stateOf(draft.id)).toBe('draft');
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(collecting.id))).toBeDefined();
    expect((await asScript(`/campaigns/${collecting.id}`)).status).toBe(200);
    expect((await asScript(`/campaigns?organisationId=${organisationId}`)).status).toBe(200);
    const entries = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select(['action', 'campaign_id', 'changes'])
      .where('organisation_id', '=', organisationId)
      .where('action', 'in', ['organisation.suspended', 'organisation.reinstated', 'campaign.suspended', 'campaign.reinstated'])
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.action)).toEqual([
      'organisation.suspended',
      'campaign.suspended',
      'campaign.suspended',
      'organisation.reinstated',
      'campaign.reinstated',
      'campaign.reinstated',
    ]);
    expect(entries[0]?.changes).toEqual({ standing: 'suspended', reason: 'Reported for misleading campaigns.' });
    expect(entries[1]?.changes).toMatchObject({ withOrganisation: true, withOrganiser: false });
  });

  it('lifts only the suspensions an organisation made, and refuses what is not there to suspend or lift', async () => {
    const { browser: owner } = await signUp('partly-suspended@example.org');
    const organisationId = await organisationOf(owner);
    const alone = await create(owner, { publish: false });
    const withIt = await create(owner, { publish: false });
    await operator.json(`${api}/operator/campaigns/${alone.id}/suspend`, { method: 'POST' });
    const refusedReason = await operator.json(`${api}/operator/organisations/${organisationId}/suspend`, { json: { reason: '   ' } });
    expect(refusedReason.status).toBe(400);
    const suspended = await operator.json<{ campaignsSuspended: number }>(`${api}/operator/organisations/${organisationId}/suspend`, {
      json: { reason: 'Spam.' },
    });
    expect(suspended.body.campaignsSuspended).toBe(1);
    expect((await operator.json(`${api}/operator/organisations/${organisationId}/suspend`, { json: { reason: 'Again.' } })).status).toBe(
      409,
    );
    await operator.json(`${api}/operator/organisations/${organisationId}/reinstate`, { method: 'POST' });
    expect(await stateOf(withIt.id)).toBe('draft');
    expect(await stateOf(alone.id)).toBe('suspended');
    expect((await operator.json(`${api}/operator/organisations/${organisationId}/reinstate`, { method: 'POST' })).status).toBe(409);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await operator.json(`${api}/operator/organisations/${unknown}/suspend`, { json: { reason: 'Spam.' } })).status).toBe(404);
    expect((await operator.json(`${api}/operator/organisations/${unknown}/trust`, { method: 'PUT', json: { trusted: true } })).status).toBe(
      404,
    );
  });

  it('keeps a campaign of a suspended organisation suspended when its organiser is reinstated, until the organisation is', async () => {
    const { browser: owner } = await signUp('both-suspended@example.org');
    const organisationId = await organisationOf(owner);
    const me = (await owner.json<{ id: string }>(`${api}/me`)).body.id;
    const campaign = await create(owner, { publish: false });
    await operator.json(`${api}/operator/organisers/${me}/suspend`, { method: 'POST' });
    await operator.json(`${api}/operator/organisations/${organisationId}/suspend`, { json: { reason: 'Both.' } });
    const single = await operator.json(`${api}/operator/campaigns/${campaign.id}/reinstate`, { method: 'POST' });
    expect(single.status).toBe(409);
    await operator.json(`${api}/operator/organisers/${me}/reinstate`, { method: 'POST' });
    expect(await stateOf(campaign.id)).toBe('suspended');
    const reinstated = await operator.json<{ campaignsReinstated: number }>(`${api}/operator/organisations/${organisationId}/reinstate`, {
      method: 'POST',
    });
    expect(reinstated.body.campaignsReinstated).toBe(1);
    expect(await stateOf(campaign.id)).toBe('draft');
  });

  it('lists organisations on the operator page, whose forms trust, suspend (with a reason) and reinstate one', async () => {
    const { browser: owner } = await signUp('page-organisation@example.org');
    const organisationId = await organisationOf(owner);
    const campaign = await create(owner, { publish: false });
    const html = { accept: 'text/html' };
    const page = await operator.request(`${chorus.url}/operator`, { headers: html });
    const text = await page.text();
    expect(text).toContain('id="organisations-table"');
    expect(text).toContain(`id="organisation-${organisationId}"`);
    expect(text).toContain('page-organisation@example.org');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
    const post = (action: string, form: Record<string, string>) =>
      operator.request(`${chorus.url}/operator/organisations/${organisationId}/${action}`, {
        method: 'POST',
        headers: html,
        form: { _csrf, ...form },
      });

    const trusted = await post('trust', { trusted: 'yes' });
    expect(trusted.status).toBe(200);
    expect(await trusted.text()).toContain('campaigns now skip review');
    const noReason = await post('suspend', { reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain(`id="reason-${organisationId}-error"`);
    expect(await stateOf(campaign.id)).toBe('draft');
    const suspended = await post('suspend', { reason: 'Impersonating a charity.' });
    expect(suspended.status).toBe(200);
    const suspendedText = await suspended.text();
    expect(suspendedText).toContain('and 1 of its campaigns');
    expect(suspendedText).toContain('Impersonating a charity.');
    expect(await stateOf(campaign.id)).toBe('suspended');
    const row = await chorus.ctx.db.selectFrom('organisations').selectAll().where('id', '=', organisationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ trusted: true, standing: 'suspended', suspension_reason: 'Impersonating a charity.' });
    const forged = await operator.request(`${chorus.url}/operator/organisations/${organisationId}/reinstate`, {
      method: 'POST',
      headers: html,
      form: {},
    });
    expect(forged.status).toBe(403);
    const reinstated = await post('reinstate', {});
    expect(reinstated.status).toBe(200);
    expect(await stateOf(campaign.id)).toBe('draft');
  });

  it('takes new organisers by single-use invitation, or after approval, as the operator sets', async () => {
    const settings = await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { signUpMode: 'invitation' } });
    expect(settings.body).toEqual({ signUpMode: 'invitation', campaignReview: true, contactEmail: null });
    const uninvited = await signUp('uninvited@example.org');
    expect(uninvited.answer.status).toBe(403);
    const invitation = await operator.json<{ url: string }>(`${api}/operator/invitations`, { json: { expiresInDays: 2 } });
    expect(invitation.status).toBe(201);
    const token = new URL(invitation.body.url).searchParams.get('invitation') ?? '';
    expect((await signUp('invited@example.org', { invitation: token })).answer.status).toBe(201);
    expect((await signUp('second-use@example.org', { invitation: token })).answer.status).toBe(403);
    const accounts = await chorus.ctx.db
      .selectFrom('organisers')
      .select('email')
      .where('email', 'in', ['uninvited@example.org', 'second-use@example.org'])
      .execute();
    expect(accounts).toEqual([]);

    await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { signUpMode: 'approval' } });
    const waiting = await signUp('waiting@example.org');
    expect(waiting.answer.status).toBe(202);
    expect((await waiting.browser.json(`${api}/me`)).status).toBe(401);
    const signIn = () => new InjectBrowser(chorus.app).json(`${api}/session`, { json: { email: 'waiting@example.org', password } });
    expect((await signIn()).status).toBe(403);
    const approved = await operator.json(`${api}/operator/organisers/${waiting.answer.body.id}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await signIn()).status).toBe(200);
    await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { signUpMode: 'open' } });
  });

  it("files a report; suspending the campaign erases its supporters' grants, and lifting it reopens it", async () => {
    const trusted = await signUp('reported@example.org');
    await operator.json(`${api}/operator/organisations/${await organisationOf(trusted.browser)}/trust`, {
      method: 'PUT',
      json: { trusted: true },
    });
    const campaign = await create(trusted.browser);
    await pledgeThroughX(campaign.slug, 'a_supporter');
    const grants = () => grantsOf(campaign.id);
    expect(await grants()).toHaveLength(1);

    const report = await new InjectBrowser(chorus.app).json(`${api}/public/campaigns/${campaign.slug}/reports`, {
      json: { reason: 'This is not what the charity says.', contact: 'worried@example.org' },
    });
    expect(report.status).toBe(201);
    const reports = await operator.json<{ id: string; campaign: { id: string }; contact: string }[]>(`${api}/operator/reports`);
    expect(reports.body).toMatchObject([{ campaign: { id: campaign.id }, contact: 'worried@example.org' }]);

    const suspended = await operator.json<CampaignAnswer>(`${api}/operator/campaigns/${campaign.id}/suspend`, { method: 'POST' });
    expect(suspended.body.state).toBe('suspended');
    expect(await grants()).toEqual([]);
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(campaign.id))).toBeUndefined();
    const closed = await operator.json(`${api}/operator/reports/${reports.body[0]?.id ?? ''}/close`, { method: 'POST' });
    expect(closed.status).toBe(200);
    expect((await operator.json<unknown[]>(`${api}/operator/reports`)).body).toEqual([]);

    const reinstated = await operator.json<CampaignAnswer>(`${api}/operator/campaigns/${campaign.id}/reinstate`, { method: 'POST' });
    expect(reinstated.body.state).toBe('collecting');
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(campaign.id))).toBeDefined();
  });

  it('suspends an organiser: their campaigns are suspended, and their session and API tokens stop working', async () => {
    const { browser } = await signUp('suspended@example.org');
    const me = await browser.json<{ id: string }>(`${api}/me`);
    const token = await browser.json<{ token: string }>(`${api}/api-tokens`, { json: { name: 'a script' } });
    const campaign = await create(browser, { publish: false });
    const script = new InjectBrowser(chorus.app);
    const bearer = { authorization: `Bearer ${token.body.token}` };
    expect((await script.json(`${api}/campaigns`, { headers: bearer })).status).toBe(200);

    const suspended = await operator.json<{ standing: string }>(`${api}/operator/organisers/${me.body.id}/suspend`, { method: 'POST' });
    expect(suspended.body.standing).toBe('suspended');
    expect((await script.json(`${api}/campaigns`, { headers: bearer })).status).toBe(401);
    expect((await browser.json(`${api}/me`)).status).toBe(401);
    expect(await stateOf(campaign.id)).toBe('suspended');
    expect(
      (await new InjectBrowser(chorus.app).json(`${api}/session`, { json: { email: 'suspended@example.org', password } })).status,
    ).toBe(403);

    await operator.json(`${api}/operator/organisers/${me.body.id}/reinstate`, { method: 'POST' });
    expect(await stateOf(campaign.id)).toBe('draft');
    // Each step is in the audit log, in the transaction that made it: the account's standing and its campaign's.
    const entries = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select(['action', 'subject_id', 'campaign_id', 'changes'])
      .where((eb) => eb.or([eb('subject_id', '=', me.body.id), eb('campaign_id', '=', campaign.id)]))
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.action)).toEqual([
      'organisation.created',
      'campaign.created',
      'organiser.suspended',
      'campaign.suspended',
      'organiser.reinstated',
      'campaign.reinstated',
    ]);
    expect(entries[3]?.changes).toMatchObject({ from: 'draft', withOrganiser: true });
    expect((await script.json(`${api}/campaigns`, { headers: bearer })).status).toBe(200);
  });
  it('shows operators the whole audit log, every organisation and the instance, paged, on the API and a page, and as CSV', async () => {
    interface Entry {
      id: string;
      organisationId: string | null;
      action: string;
    }
    const { browser: member } = await signUp('audited@example.org');
    const own = await member.json<{ id: string }[]>(`${api}/organisations`);
    const memberOrganisation = own.body[0]?.id ?? '';
    const renamed = await member.json(`${api}/organisations/${memberOrganisation}`, { method: 'PATCH', json: { name: 'Audited charity' } });
    expect(renamed.status).toBe(200);
    const operatorOrganisation = (await operator.json<{ id: string }[]>(`${api}/organisations`)).body[0]?.id ?? '';
    await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { signUpMode: 'approval' } });
    await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { signUpMode: 'open' } });

    const first = await operator.json<{ entries: Entry[]; nextBefore: string | null }>(`${api}/operator/audit-log?limit=200`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const byOrganisation = new Set(first.body.entries.map((e) => e.organisationId));
    expect(byOrganisation).toContain(memberOrganisation);
    expect(byOrganisation).toContain(operatorOrganisation);
    expect(first.body.entries[0]).toMatchObject({ organisationId: null, action: 'instance.settings-changed' });
    expect(first.body.entries.find((e) => e.organisationId === memberOrganisation)?.action).toBe('organisation.renamed');

    // Paged newest first: two pages of one hold the two newest entries, and the second says where a third starts.
    const one = await operator.json<{ entries: Entry[]; nextBefore: string }>(`${api}/operator/audit-log?limit=1`);
    const two = await operator.json<{ entries: Entry[]; nextBefore: string }>(
      `${api}/operator/audit-log?limit=1&before=${one.body.nextBefore}`,
    );
    expect([...one.body.entries, ...two.body.entries].map((e) => e.id)).toEqual(first.body.entries.slice(0, 2).map((e) => e.id));
    expect((await operator.json(`${api}/operator/audit-log?limit=0`)).status).toBe(400);

    const csv = await operator.request(`${api}/operator/audit-log.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,organisation,actor,action,campaign,subject,changes,client_ip');
    expect(lines.length - 1).toBe(first.body.entries.length);
    expect(lines[1]).toMatch(new RegExp(`^${first.body.entries[0]?.id ?? 'x'},[^,]+,,[^,]+,instance\\.settings-changed,`));
    expect(lines.some((line) => line.includes(`,${memberOrganisation},`) && line.includes(',organisation.renamed,'))).toBe(true);

    const page = await operator.request(`${chorus.url}/operator/audit-log`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('instance.settings-changed');
    expect(html).toContain(memberOrganisation);
    expect(html).toContain('href="/operator/audit-log.csv"');
    const overview = await (await operator.request(`${chorus.url}/operator`, { headers: { accept: 'text/html' } })).text();
    expect(overview).toContain('href="/operator/audit-log"');

    // An organiser (an owner of their own organisation) is refused the whole log, on the page and its CSV as on the API.
    for (const path of ['/operator/audit-log', '/operator/audit-log.csv']) {
      const refused = await member.request(`${chorus.url}${path}`, { headers: { accept: 'text/html' } });
      expect(refused.status, path).toBe(403);
      expect(await refused.text(), path).not.toContain('Audited charity');
    }
    expect((await member.json(`${api}/operator/audit-log`)).status).toBe(403);
    expect((await member.json(`${api}/operator/audit-log.csv`)).status).toBe(403);
  });

  it("keeps the operators' contact, shows it on the privacy page, refuses a bad address, and takes it away", async () => {
    const privacy = async () => (await (await new InjectBrowser(chorus.app).request('/privacy')).text()).replace(/\s+/g, ' ');
    expect(await privacy()).not.toContain('Write to them at');

    const set = await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { contactEmail: ' operators@example.org ' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ contactEmail: 'operators@example.org', signUpMode: 'open' });
    expect((await operator.json(`${api}/operator/settings`)).body).toMatchObject({ contactEmail: 'operators@example.org' });
    expect(await privacy()).toContain('Write to them at <a href="mailto:operators@example.org">operators@example.org</a>.');
    const audited = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select('changes')
      .where('action', '=', 'instance.settings-changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audited.changes).toEqual({ contactEmail: 'operators@example.org' });

    // The report page, and a suspended organisation's notice, name it too.
    const { browser: owner } = await signUp('contact-shown@example.org');
    const organisationId = await organisationOf(owner);
    await operator.json(`${api}/operator/organisations/${organisationId}/trust`, { method: 'PUT', json: { trusted: true } });
    const campaign = await create(owner);
    const reportPage = await (await new InjectBrowser(chorus.app).request(`/c/${campaign.slug}/report`)).text();
    expect(reportPage).toContain('<a href="mailto:operators@example.org">operators@example.org</a>');
    await operator.json(`${api}/operator/organisations/${organisationId}/suspend`, { json: { reason: 'Spam' } });
    const notice = await owner.request(`${chorus.url}/organiser/campaigns?organisation=${organisationId}`, {
      headers: { accept: 'text/html' },
    });
    expect(notice.status).toBe(403);
    expect((await notice.text()).replace(/\s+/g, ' ')).toContain('write to the operators at <a href="mailto:operators@example.org">');

    const refused = await operator.json<{ message: string }>(`${api}/operator/settings`, {
      method: 'PUT',
      json: { contactEmail: 'not an address', campaignReview: false },
    });
    expect(refused.status).toBe(400);
    expect((await operator.json(`${api}/operator/settings`)).body).toEqual({
      signUpMode: 'open',
      campaignReview: true,
      contactEmail: 'operators@example.org',
    });

    const cleared = await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { contactEmail: '' } });
    expect(cleared.body).toMatchObject({ contactEmail: null });
    expect(await privacy()).not.toContain('operators@example.org');

    // The /operator form sets it too, and shows it back in its field.
    const html = { accept: 'text/html' };
    const _csrf = await operator.csrfTokenFrom(`${chorus.url}/operator`);
    const saved = await operator.request(`${chorus.url}/operator/settings`, {
      method: 'POST',
      headers: html,
      form: { _csrf, signUpMode: 'open', campaignReview: 'on', contactEmail: 'team@example.org' },
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toMatch(/id="contactEmail" name="contactEmail" type="email" autocomplete="off" value="team@example.org"/);
    expect(await privacy()).toContain('mailto:team@example.org');
    await operator.json(`${api}/operator/settings`, { method: 'PUT', json: { contactEmail: null } });
  });
});
