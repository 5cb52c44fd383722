import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCampaign } from '../../../../src/storage/campaign.repository.ts';
import { Browser } from '../../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../../support/organiser.ts';
import { pledgeThroughConsent } from '../../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

interface SupporterAnswer {
  pledgeId: string;
  handle: string;
  state: string;
  shownPublicly: boolean;
}

const html = { accept: 'text/html' };

describe('an organiser erases one supporter on their request', () => {
  let chorus: TestChorus;
  let organiser: Browser;
  let api: string;

  beforeAll(async () => {
    chorus = await startTestChorus();
    organiser = await signUpOrganiser(chorus.url);
    api = `${chorus.url}/api/v1`;
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function campaignWith(handles: string[]): Promise<{ id: string; slug: string; manageTokens: Record<string, string> }> {
    const created = await organiser.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody({ goal: 10 }) });
    expect(created.status).toBe(201);
    const manageTokens: Record<string, string> = {};
    for (const [i, username] of handles.entries()) {
      const answer = await pledgeThroughConsent(chorus.url, created.body.slug, { username, followers: 100 * (i + 1) });
      expect(answer.status).toBe(201);
      manageTokens[username] = `${answer.body.id ?? ''} ${answer.body.manageToken ?? ''}`;
    }
    return { ...created.body, manageTokens };
  }

  const numbers = async (slug: string) =>
    (await new Browser().json<{ supporters: number; reach: number }>(`${api}/public/campaigns/${slug}`)).body;

  /** What Chorus holds of an account for a campaign: its pledges (with their grants) and the account row. */
  async function heldAbout(campaignId: string, handle: string) {
    const pledges = await chorus.ctx.db
      .selectFrom('pledges')
      .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
      .leftJoin('pledge_credentials', 'pledge_credentials.pledge_id', 'pledges.id')
      .select(['pledges.state', 'pledge_credentials.pledge_id as grant'])
      .where('pledges.campaign_id', '=', campaignId)
      .where('social_accounts.handle', '=', handle)
      .execute();
    const accounts = await chorus.ctx.db.selectFrom('social_accounts').select('id').where('handle', '=', handle).execute();
    return { pledges: pledges.length, grants: pledges.filter((p) => p.grant !== null).length, accounts: accounts.length };
  }

  it('lists the supporters (by handle on request), and only to their organiser', async () => {
    const campaign = await campaignWith(['list_lou', 'list_lee', 'other_ola']);
    const all = await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${campaign.id}/supporters`);
    expect(all.status).toBe(200);
    expect(all.body.map((s) => s.handle).sort()).toEqual(['list_lee', 'list_lou', 'other_ola']);
    expect(all.body.every((s) => !s.shownPublicly && s.state === 'active')).toBe(true);
    const found = await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${campaign.id}/supporters?handle=%40list_l`);
    expect(found.body.map((s) => s.handle).sort()).toEqual(['list_lee', 'list_lou']);
    // A wildcard typed in the search is a character, not a pattern; a NUL is a clear 400.
    expect((await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${campaign.id}/supporters?handle=%25`)).body).toEqual([]);
    expect((await organiser.json(`${api}/campaigns/${campaign.id}/supporters?handle=a%00b`)).status).toBe(400);
    // A limit the validator reads as Infinity is refused naming it, not a 500 from Postgres.
    for (const limit of ['1e400', 'Infinity']) {
      const refused = await organiser.json<{ field?: string }>(`${api}/campaigns/${campaign.id}/supporters?limit=${limit}`);
      expect({ status: refused.status, field: refused.body.field }).toEqual({ status: 400, field: 'limit' });
    }
    const search = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}?supporter=list_lo`, { headers: html });
    const searched = /<section class="panel" aria-labelledby="supporters-heading"[\s\S]*?<\/section>/.exec(await search.text())?.[0] ?? '';
    expect(searched).toContain('Erase @list_lou');
    expect(searched).not.toContain('other_ola');
    expect((await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}?supporter=a%00b`, { headers: html })).status).toBe(
      400,
    );

    const stranger = await signUpOrganiser(chorus.url, 'Someone else');
    expect((await stranger.json(`${api}/campaigns/${campaign.id}/supporters`)).status).toBe(404);
    const lou = all.body.find((s) => s.handle === 'list_lou');
    expect((await stranger.json(`${api}/campaigns/${campaign.id}/supporters/${lou?.pledgeId ?? ''}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect(await heldAbout(campaign.id, 'list_lou')).toEqual({ pledges: 1, grants: 1, accounts: 1 });
  });

  it('before the launch, the dashboard button withdraws the pledge, erases its grant and the account, and the numbers drop', async () => {
    const campaign = await campaignWith(['erase_eli', 'keep_kim']);
    expect(await numbers(campaign.slug)).toMatchObject({ supporters: 2, reach: 300 });
    const dashboard = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}`, { headers: html });
    const page = await dashboard.text();
    const eli = (await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${campaign.id}/supporters?handle=erase_eli`)).body[0];
    const action = `/organiser/campaigns/${campaign.id}/supporters/${eli?.pledgeId ?? ''}/erase`;
    expect(page).toContain(`action="${action}"`);
    expect(page).toContain('Erase @erase_eli');
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const erased = await organiser.request(`${chorus.url}${action}`, { headers: html, form: { _csrf: token } });
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain('@erase_eli on X: the pledge is withdrawn (nothing will be posted from that account)');
    expect(await heldAbout(campaign.id, 'erase_eli')).toEqual({ pledges: 0, grants: 0, accounts: 0 });
    expect(await heldAbout(campaign.id, 'keep_kim')).toEqual({ pledges: 1, grants: 1, accounts: 1 });
    // The public numbers are kept for a second.
    await expect.poll(async () => numbers(campaign.slug)).toMatchObject({ supporters: 1, reach: 200 });
    // Eli's own private link opens nothing any more.
    const [eliId, eliKey] = (campaign.manageTokens.erase_eli ?? '').split(' ');
    expect(
      (await new Browser().json(`${api}/pledges/${eliId ?? ''}`, { headers: { authorization: `Bearer ${eliKey ?? ''}` } })).status,
    ).toBe(404);
    // Erased already: nothing left to erase.
    expect((await organiser.json(`${api}/campaigns/${campaign.id}/supporters/${eli?.pledgeId ?? ''}`, { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('after the end (cancelled), the API erases a supporter and the totals stay; during the launch it refuses with 409', async () => {
    const campaign = await campaignWith(['ended_eva', 'ended_ed']);
    expect((await organiser.json(`${api}/campaigns/${campaign.id}/cancel`, { method: 'POST' })).status).toBe(200);
    // Read from Postgres, not the public numbers' one-second cache, so an unchanged total is a fact.
    const totals = async () => {
      const row = await findCampaign(chorus.ctx.db, campaign.id);
      return { supporters: row?.supporter_count, reach: row?.reach };
    };
    expect(await totals()).toEqual({ supporters: 2, reach: 300 });
    const eva = (await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${campaign.id}/supporters?handle=ended_eva`)).body[0];
    const erased = await organiser.json(`${api}/campaigns/${campaign.id}/supporters/${eva?.pledgeId ?? ''}`, { method: 'DELETE' });
    expect({ status: erased.status, body: erased.body }).toEqual({
      status: 200,
      body: { handle: 'ended_eva', network: 'x', withdrawn: false },
    });
    expect(await heldAbout(campaign.id, 'ended_eva')).toEqual({ pledges: 0, grants: 0, accounts: 0 });
    expect(await totals()).toEqual({ supporters: 2, reach: 300 });

    const launching = await campaignWith(['busy_bo']);
    // As if its launch had begun (the launch itself is tested elsewhere): a post may be on its way.
    await chorus.ctx.db.updateTable('campaigns').set({ state: 'launching' }).where('id', '=', launching.id).execute();
    const bo = (await organiser.json<SupporterAnswer[]>(`${api}/campaigns/${launching.id}/supporters`)).body[0];
    const refused = await organiser.json<{ message: string }>(`${api}/campaigns/${launching.id}/supporters/${bo?.pledgeId ?? ''}`, {
      method: 'DELETE',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/launch/);
    expect(await heldAbout(launching.id, 'busy_bo')).toEqual({ pledges: 1, grants: 1, accounts: 1 });
  });
});
