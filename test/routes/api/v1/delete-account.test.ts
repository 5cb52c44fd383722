import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../../src/storage/database.ts';
import { makeOperator } from '../../../../src/storage/organiser.repository.ts';
import { deleteMarkedOrganisations } from '../../../../src/use-cases/organisations/delete-marked-organisations.ts';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody, signedUpOrganiser } from '../../../support/organiser.ts';
import { seedPledges } from '../../../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';
import { totpCode } from '../../../support/totp-codes.ts';

const password = 'correct horse battery staple';
const html = { accept: 'text/html' };

// An organiser deletes their account (docs/organisations.md, "Deleting an account"): only from a signed-in session,
// with the password; refused while they are the last owner of a team; their own organisation and its campaigns go
// with them (the collecting one cancelled first, its supporters' grants erased); the organisations they leave keep
// their campaigns and get an `account.deleted` entry; the email can sign up again.
describe('deleting an organiser account', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
  });
  afterAll(async () => {
    await chorus.close();
  });

  const db = () => chorus.ctx.db;
  const organiserRow = (id: string) => db().selectFrom('organisers').select('id').where('id', '=', id).executeTakeFirst();
  const ownOrganisation = async (browser: InjectBrowser) =>
    (await browser.json<{ id: string }[]>('/api/v1/organisations')).body[0]?.id ?? '';

  /** Two supporters' pledges on a collecting campaign, with their grants, as the consent callback records them. */
  async function pledgesOn(campaignId: string): Promise<string[]> {
    const row = await db().selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    const campaign: Campaign = { ...row, supporter_count: 0, reach: 0 };
    const supporters = ['ana', 'ben'].map((name) => ({
      id: randomBytes(6).toString('hex'),
      username: `${name}${randomBytes(3).toString('hex')}`,
      accessToken: randomBytes(16).toString('hex'),
      refreshToken: randomBytes(16).toString('hex'),
      expiresInSeconds: 7200,
    }));
    return seedPledges(db(), chorus.ctx.cipher, campaign, supporters);
  }

  it('refuses a wrong password (401), an API token (403) and changes nothing', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app, password);
    const wrong = await browser.json<{ field?: string }>('/api/v1/me', { method: 'DELETE', json: { password: 'not my password at all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.field).toBe('password');

    const minted = await browser.json<{ token: string }>('/api/v1/api-tokens', { method: 'POST', json: { name: 'script' } });
    expect(minted.status).toBe(201);
    const script = new InjectBrowser(chorus.app);
    const byToken = await script.json('/api/v1/me', {
      method: 'DELETE',
      json: { password },
      headers: { authorization: `Bearer ${minted.body.token}` },
    });
    expect(byToken.status).toBe(403);

    expect(await organiserRow(id)).toBeDefined();
    expect((await browser.json('/api/v1/me')).status).toBe(200);
    expect((await script.json('/api/v1/me', { headers: { authorization: `Bearer ${minted.body.token}` } })).status).toBe(200);
  });

  it('takes a code as well when two-factor sign-in is on, and deletes the second factor and its recovery codes', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app, password);
    const started = await browser.json<{ secret: string }>('/api/v1/me/two-factor', { method: 'POST' });
    expect(started.status).toBe(201);
    const confirmed = await browser.json('/api/v1/me/two-factor/confirmation', { json: { code: totpCode(started.body.secret) } });
    expect(confirmed.status).toBe(200);

    const noCode = await browser.json<{ field?: string }>('/api/v1/me', { method: 'DELETE', json: { password } });
    expect(noCode.status).toBe(400);
    expect(noCode.body.field).toBe('code');
    expect(await organiserRow(id)).toBeDefined();

    const gone = await browser.json('/api/v1/me', { method: 'DELETE', json: { password, code: totpCode(started.body.secret, 1) } });
    expect(gone.status).toBe(200);
    expect(await db().selectFrom('organiser_second_factors').select('organiser_id').where('organiser_id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('organiser_recovery_codes').select('organiser_id').where('organiser_id', '=', id).execute()).toEqual([]);
    expect(await organiserRow(id)).toBeUndefined();
  });

  it('refuses the last owner of an organisation with other members (409, naming it) until someone else is owner', async () => {
    const owner = await signedUpOrganiser(chorus.app, password);
    const organisationId = await ownOrganisation(owner.browser);
    await owner.browser.json(`/api/v1/organisations/${organisationId}`, { method: 'PATCH', json: { name: 'Porters for Pay' } });
    const invitation = await owner.browser.json<{ link: string }>(`/api/v1/organisations/${organisationId}/invitations`, {
      method: 'POST',
      json: { role: 'editor' },
    });
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    const editor = await signedUpOrganiser(chorus.app, password);
    expect((await editor.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token } })).status).toBe(201);
    // The owner's campaign, and one the editor created in the organisation: both are the organisation's and stay.
    const ownersCampaign = await owner.browser.json<{ id: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    const editorsCampaign = await editor.browser.json<{ id: string }>('/api/v1/campaigns', {
      method: 'POST',
      json: campaignBody({ organisationId }),
    });
    expect(editorsCampaign.status).toBe(201);

    const refused = await owner.browser.json<{ message: string }>('/api/v1/me', { method: 'DELETE', json: { password } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/last owner of Porters for Pay/);
    expect(await organiserRow(owner.id)).toBeDefined();
    expect((await owner.browser.json('/api/v1/me')).status).toBe(200);

    // The editor may go: the organisation stays, with its campaigns (the editor's says no creator now) and an entry.
    const gone = await editor.browser.json<{ organisationsDeleted: string[]; organisationsLeft: string[] }>('/api/v1/me', {
      method: 'DELETE',
      json: { password },
    });
    expect(gone.status).toBe(200);
    expect(gone.body.organisationsLeft).toEqual([organisationId]);
    expect(gone.body.organisationsDeleted).toHaveLength(1);
    expect(await organiserRow(editor.id)).toBeUndefined();
    const campaign = await owner.browser.json<{ createdBy: string | null }>(`/api/v1/campaigns/${editorsCampaign.body.id}`);
    expect(campaign.status).toBe(200);
    expect(campaign.body.createdBy).toBeNull();
    expect((await owner.browser.json(`/api/v1/campaigns/${ownersCampaign.body.id}`)).status).toBe(200);
    const log = await owner.browser.json<{ entries: { action: string; actorOrganiserId: string | null; subjectId: string | null }[] }>(
      `/api/v1/organisations/${organisationId}/audit-log?action=account.deleted`,
    );
    expect(log.status).toBe(200);
    expect(log.body.entries).toMatchObject([{ action: 'account.deleted', subjectId: editor.id }]);
    expect(JSON.stringify(log.body)).not.toContain(editor.email);
  });

  it("deletes a sole member's organisation with its campaigns (marked, then deleted by the workers), cancelling the collecting one first; the email signs up again", async () => {
    const { browser, id, email } = await signedUpOrganiser(chorus.app, password);
    const organisationId = await ownOrganisation(browser);
    const draft = await browser.json<{ id: string; state: string }>('/api/v1/campaigns', {
      method: 'POST',
      json: campaignBody({ publish: false }),
    });
    const collecting = await browser.json<{ id: string; state: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    expect([draft.body.state, collecting.body.state]).toEqual(['draft', 'collecting']);
    const pledgeIds = await pledgesOn(collecting.body.id);
    expect(await db().selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', 'in', pledgeIds).execute()).toHaveLength(2);
    await browser.json('/api/v1/api-tokens', { method: 'POST', json: { name: 'script' } });

    const gone = await browser.json<{ organisationsDeleted: string[]; organisationsLeft: string[] }>('/api/v1/me', {
      method: 'DELETE',
      json: { password },
    });
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ organisationsDeleted: [organisationId], organisationsLeft: [] });

    // The organisation is only marked: its supporters' mails are written from its pledges first. Nobody reaches it.
    const marked = await db().selectFrom('organisations').select('deleting_since').where('id', '=', organisationId).executeTakeFirst();
    expect(marked?.deleting_since).toBeInstanceOf(Date);
    const operator = await signedUpOrganiser(chorus.app, password);
    await makeOperator(db(), operator.id);
    // Operators' routes ask for two-factor sign-in.
    const started = await operator.browser.json<{ secret: string }>('/api/v1/me/two-factor', { method: 'POST' });
    await operator.browser.json('/api/v1/me/two-factor/confirmation', { json: { code: totpCode(started.body.secret) } });
    const listed = await operator.browser.json<{ id: string }[]>('/api/v1/operator/organisations');
    expect(listed.status).toBe(200);
    expect(listed.body.map((o) => o.id)).not.toContain(organisationId);
    const suspend = await operator.browser.json(`/api/v1/operator/organisations/${organisationId}/suspend`, {
      method: 'POST',
      json: { reason: 'spam' },
    });
    expect(suspend.status).toBe(404);
    const trust = await operator.browser.json(`/api/v1/operator/organisations/${organisationId}/trust`, {
      method: 'PUT',
      json: { trusted: true },
    });
    expect(trust.status).toBe(404);
    // No supporter left an address: nothing is waiting, so the workers' next sweep deletes it.
    expect(await deleteMarkedOrganisations(db(), chorus.config.ORGANISATION_DELETION_WAIT_SECONDS)).toBeGreaterThanOrEqual(1);

    const campaignIds = [draft.body.id, collecting.body.id];
    expect(await db().selectFrom('campaigns').select('id').where('id', 'in', campaignIds).execute()).toEqual([]);
    expect(await db().selectFrom('organisations').select('id').where('id', '=', organisationId).execute()).toEqual([]);
    expect(await db().selectFrom('pledges').select('id').where('id', 'in', pledgeIds).execute()).toEqual([]);
    expect(await db().selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', 'in', pledgeIds).execute()).toEqual([]);
    for (const table of ['organiser_sessions', 'organiser_api_tokens', 'organisation_members'] as const)
      expect(await db().selectFrom(table).select('organiser_id').where('organiser_id', '=', id).execute(), table).toEqual([]);
    expect(await organiserRow(id)).toBeUndefined();
    // The collecting campaign went through the cancel path (its entry stays in the log, under the account's id only).
    const entries = await db()
      .selectFrom('audit_entries')
      .select(['action', 'campaign_id', 'organisation_id'])
      .where('actor_organiser_id', '=', id)
      .where('action', 'in', ['campaign.cancelled', 'account.deleted'])
      .orderBy('id')
      .execute();
    // The campaigns are cancelled in the order of their (random) ids.
    expect(entries.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { action: 'campaign.cancelled', campaign_id: draft.body.id, organisation_id: organisationId },
        { action: 'campaign.cancelled', campaign_id: collecting.body.id, organisation_id: organisationId },
      ]),
    );
    expect(entries.slice(2)).toEqual([{ action: 'account.deleted', campaign_id: null, organisation_id: null }]);

    // The session cookie no longer signs anyone in.
    expect((await browser.json('/api/v1/me')).status).toBe(401);
    expect((await browser.json('/api/v1/me', { method: 'DELETE', json: { password } })).status).toBe(401);
    // The address is free again.
    const again = await new InjectBrowser(chorus.app).json('/api/v1/organisers', {
      method: 'POST',
      json: { email, name: 'Unison branch', password },
    });
    expect(again.status).toBe(201);
  });

  it('keeps a marked organisation while a supporter waits for the cancel mail, for ORGANISATION_DELETION_WAIT_SECONDS at most', async () => {
    const { browser } = await signedUpOrganiser(chorus.app, password);
    const organisationId = await ownOrganisation(browser);
    const collecting = await browser.json<{ id: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() });
    const [pledgeId = ''] = await pledgesOn(collecting.body.id);
    // A confirmed address: this Chorus has no SMTP, so its cancel mail is never written.
    await db()
      .insertInto('supporter_mail_addresses')
      .values({
        pledge_id: pledgeId,
        campaign_id: collecting.body.id,
        address: 'waiting@example.net',
        state: 'confirmed',
        confirmed_at: new Date(),
        sealed_manage_token: null,
        key_id: null,
        outcome_mailed_at: null,
        reminder_mailed_at: null,
        updates_mailed_through: null,
      })
      .execute();
    expect((await browser.json('/api/v1/me', { method: 'DELETE', json: { password } })).status).toBe(200);

    const organisation = () => db().selectFrom('organisations').select('id').where('id', '=', organisationId).execute();
    const waitSeconds = chorus.config.ORGANISATION_DELETION_WAIT_SECONDS;
    await deleteMarkedOrganisations(db(), waitSeconds);
    expect(await organisation()).toHaveLength(1);
    expect(await db().selectFrom('pledges').select('id').where('id', '=', pledgeId).execute()).toHaveLength(1);

    await deleteMarkedOrganisations(db(), waitSeconds, new Date(Date.now() + (waitSeconds + 60) * 1000));
    expect(await organisation()).toEqual([]);
    expect(await db().selectFrom('pledges').select('id').where('id', '=', pledgeId).execute()).toEqual([]);
    expect(await db().selectFrom('supporter_mail_addresses').select('id').where('campaign_id', '=', collecting.body.id).execute()).toEqual(
      [],
    );
  });

  it('refuses while a campaign of their own organisation is launching (409), cancelling nothing first', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app, password);
    const created = await Promise.all(
      [0, 1].map(async () => (await browser.json<{ id: string }>('/api/v1/campaigns', { method: 'POST', json: campaignBody() })).body.id),
    );
    // The campaigns are gone through in id order: the launching one last, after one that could be cancelled.
    const [first = '', last = ''] = created.sort();
    await db().updateTable('campaigns').set({ state: 'launching' }).where('id', '=', last).execute();

    const refused = await browser.json<{ message?: string }>('/api/v1/me', { method: 'DELETE', json: { password } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/launching/);
    const states = await db().selectFrom('campaigns').select(['id', 'state']).where('id', 'in', created).orderBy('id').execute();
    expect(states).toEqual([
      { id: first, state: 'collecting' },
      { id: last, state: 'launching' },
    ]);
    expect(await organiserRow(id)).toBeDefined();
  });

  it("refuses the instance's last operator (409), and lets them go once another operator exists", async () => {
    const operator = await signedUpOrganiser(chorus.app, password);
    await db().updateTable('organisers').set({ role: 'organiser' }).where('role', '=', 'operator').execute();
    await makeOperator(db(), operator.id);
    const refused = await operator.browser.json<{ message: string }>('/api/v1/me', { method: 'DELETE', json: { password } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/last operator/);
    expect(await organiserRow(operator.id)).toBeDefined();

    const other = await signedUpOrganiser(chorus.app, password);
    await makeOperator(db(), other.id);
    expect((await operator.browser.json('/api/v1/me', { method: 'DELETE', json: { password } })).status).toBe(200);
    expect(await organiserRow(operator.id)).toBeUndefined();
  });

  it('deletes the account from the account page (CSRF form), showing a wrong password beside its field', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app, password);
    const page = await browser.request('/organiser/account', { headers: html });
    expect(await page.text()).toContain('Delete your account');
    const _csrf = await browser.csrfTokenFrom('/organiser/account');

    const wrong = await browser.request('/organiser/account/delete', {
      method: 'POST',
      form: { _csrf, password: 'nope nope nope' },
      headers: html,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That is not your password.');
    expect(await organiserRow(id)).toBeDefined();

    const noCsrf = await browser.request('/organiser/account/delete', { method: 'POST', form: { password }, headers: html });
    expect(noCsrf.status).toBe(403);
    expect(await organiserRow(id)).toBeDefined();

    const deleted = await browser.request('/organiser/account/delete', { method: 'POST', form: { _csrf, password }, headers: html });
    expect(deleted.status).toBe(200);
    const deletedPage = await deleted.text();
    expect(deletedPage).toContain('Your account is deleted');
    expect(deletedPage).toContain('within a day, once supporters who left an address are told of the cancellation');
    expect(await organiserRow(id)).toBeUndefined();
    expect((await browser.request('/organiser/account', { headers: html })).status).not.toBe(200);

    // The privacy page says what an organiser's deletion does, and how long the audit log keeps entries.
    const privacy = await (await browser.request('/privacy', { headers: html })).text();
    expect(privacy).toContain('<strong>Delete your account</strong> yourself');
    expect(privacy).toContain('deleted within a day, once supporters who left an address are told of the cancellation');
    expect(privacy).toContain(`deleted ${chorus.config.AUDIT_LOG_RETENTION_DAYS} days after they are made`);
  });
});
