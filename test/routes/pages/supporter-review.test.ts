import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitConsent } from '../../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

/** A page and the CSRF token of its first form. */
async function pageWithToken(browser: Browser, url: string): Promise<{ status: number; html: string; token: string }> {
  const response = await browser.request(url, { headers: html });
  const text = await response.text();
  return { status: response.status, html: text, token: /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '' };
}

describe("the review step: a pending pledge is used once, and a supporter's name is shown only if they choose", () => {
  let chorus: TestChorus;
  let organiser: Browser;

  beforeAll(async () => {
    chorus = await startTestChorus();
    organiser = await signUpOrganiser(chorus.url);
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function openCampaign(): Promise<{ id: string; slug: string }> {
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** A supporter who approved on the sandbox X's consent page and now looks at the review page. */
  async function reachReview(slug: string, username: string, followers: number, browser = new Browser()) {
    const connect = await browser.request(`${chorus.url}/c/${slug}/support/x`, { headers: html });
    expect(connect.status).toBe(302);
    const back = await submitConsent(connect.headers.get('location') ?? '', { username, followers: String(followers) });
    expect((await browser.request(back, { headers: html })).headers.get('location')).toBe(`/c/${slug}/review`);
    const review = await pageWithToken(browser, `${chorus.url}/c/${slug}/review`);
    expect(review.status).toBe(200);
    return { browser, token: review.token, html: review.html };
  }

  function confirm(browser: Browser, slug: string, token: string, fields: Record<string, string> = {}) {
    return browser.request(`${chorus.url}/c/${slug}/review`, {
      headers: html,
      form: { _csrf: token, choice: 'message', text: '', ...fields },
    });
  }

  /** Every pledge of the campaign, with whether it still holds a grant: what a replay must not change. */
  async function pledgeRows(campaignId: string) {
    return chorus.ctx.db
      .selectFrom('pledges')
      .leftJoin('pledge_credentials', 'pledge_credentials.pledge_id', 'pledges.id')
      .select(['pledges.id', 'pledges.state', 'pledge_credentials.pledge_id as grant'])
      .where('pledges.campaign_id', '=', campaignId)
      .orderBy('pledges.id')
      .execute();
  }

  const supportersOf = async (slug: string) =>
    (await organiser.json<{ supporters: number }>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body.supporters;

  const manageLinkIn = (page: string) => /id="manage-link">([^<]+)</.exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';

  async function withdraw(browser: Browser, manageUrl: string) {
    const manage = await pageWithToken(browser, manageUrl);
    const url = new URL(manageUrl);
    const withdrawn = await browser.request(`${chorus.url}${url.pathname}/withdraw`, {
      headers: html,
      form: { _csrf: manage.token, key: url.searchParams.get('key') ?? '' },
    });
    expect(withdrawn.status).toBe(200);
  }

  it('a copy of the review cookie replayed after confirming and withdrawing brings nothing back (issue 13, finding 8)', async () => {
    const campaign = await openCampaign();
    const { browser, token } = await reachReview(campaign.slug, 'replay_rita', 40);
    const copied = browser.copy();

    const confirmed = await confirm(browser, campaign.slug, token);
    expect(confirmed.status).toBe(201);
    await withdraw(browser, manageLinkIn(await confirmed.text()));
    const afterWithdrawal = await pledgeRows(campaign.id);
    expect(afterWithdrawal.map((row) => [row.state, row.grant])).toEqual([['withdrawn', null]]);

    const replayed = await confirm(copied, campaign.slug, token);
    expect(replayed.status).toBe(410);
    expect(await replayed.text()).toContain('This link has expired');
    expect(await pledgeRows(campaign.id)).toEqual(afterWithdrawal);
    expect(await supportersOf(campaign.slug)).toBe(0);
    // The review page itself is gone for that cookie too.
    expect((await copied.request(`${chorus.url}/c/${campaign.slug}/review`, { headers: html })).status).toBe(410);
  });

  it('two confirmations of one pending pledge at once record one pledge: one is answered 201, the other 410', async () => {
    const campaign = await openCampaign();
    const { browser, token } = await reachReview(campaign.slug, 'double_dan', 15);
    const twin = browser.copy();

    const answers = await Promise.all([confirm(browser, campaign.slug, token), confirm(twin, campaign.slug, token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 410]);
    const rows = await pledgeRows(campaign.id);
    expect(rows.map((row) => [row.state, row.grant === row.id])).toEqual([['active', true]]);
    expect(await supportersOf(campaign.slug)).toBe(1);
    const pending = await chorus.ctx.db.selectFrom('pending_pledges').select('id').where('campaign_id', '=', campaign.id).execute();
    expect(pending).toEqual([]);
  });

  it('a withdrawal also drops a pending pledge the same account left open in another tab, and Cancel drops one at once', async () => {
    const campaign = await openCampaign();
    // Two tabs, each through the consent page as the same account: the first is left on its review page.
    const left = await reachReview(campaign.slug, 'tabby_tom', 8);
    const second = await reachReview(campaign.slug, 'tabby_tom', 8);
    const confirmed = await confirm(second.browser, campaign.slug, second.token);
    expect(confirmed.status).toBe(201);
    await withdraw(second.browser, manageLinkIn(await confirmed.text()));
    const afterWithdrawal = await pledgeRows(campaign.id);

    expect((await confirm(left.browser, campaign.slug, left.token)).status).toBe(410);
    expect(await pledgeRows(campaign.id)).toEqual(afterWithdrawal);

    const cancelling = await reachReview(campaign.slug, 'cancel_cara', 3);
    expect(cancelling.html).toContain(`formaction="/c/${campaign.slug}/review/cancel"`);
    const cancelled = await cancelling.browser.request(`${chorus.url}/c/${campaign.slug}/review/cancel`, {
      headers: html,
      form: { _csrf: cancelling.token },
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get('location')).toBe(`/c/${campaign.slug}`);
    const held = await chorus.ctx.db.selectFrom('pending_pledges').select('handle').where('campaign_id', '=', campaign.id).execute();
    expect(held).toEqual([]);
    expect((await confirm(cancelling.browser, campaign.slug, cancelling.token)).status).toBe(410);
  });

  it('names on the public page and in the public numbers only the supporters who ticked the box; the counts include everyone', async () => {
    const campaign = await openCampaign();
    const shown = await reachReview(campaign.slug, 'shown_sue', 120);
    // Off unless ticked, and the step links the privacy page.
    expect(shown.html).toMatch(/<input type="checkbox" name="showName" id="showName" value="yes" aria-describedby="showName-hint">/);
    expect(shown.html).toContain('<a href="/privacy">');
    // A value the box never sends is refused, and the pending pledge is still there to confirm.
    const odd = await confirm(shown.browser, campaign.slug, shown.token, { showName: 'yes\u0000' });
    expect(odd.status).toBe(400);
    expect(await chorus.ctx.db.selectFrom('pledges').select('id').where('campaign_id', '=', campaign.id).execute()).toEqual([]);
    const shownAnswer = await confirm(shown.browser, campaign.slug, shown.token, { showName: 'yes' });
    expect(shownAnswer.status).toBe(201);
    const shownPage = await shownAnswer.text();
    expect(shownPage).toMatch(/Your name<\/strong> is shown on the campaign page/);
    const sueManage = new URL(manageLinkIn(shownPage));

    const hidden = await reachReview(campaign.slug, 'hidden_hal', 80);
    const hiddenAnswer = await confirm(hidden.browser, campaign.slug, hidden.token);
    expect(hiddenAnswer.status).toBe(201);
    const hiddenManage = manageLinkIn(await hiddenAnswer.text());

    const numbers = await organiser.json<{
      supporters: number;
      reach: number;
      topSupporters: { handle: string }[];
      recentSupporters: { handle: string }[];
    }>(`${chorus.url}/api/v1/public/campaigns/${campaign.slug}`);
    expect(numbers.body).toMatchObject({ supporters: 2, reach: 200 });
    expect(numbers.body.topSupporters.map((s) => s.handle)).toEqual(['shown_sue']);
    expect(numbers.body.recentSupporters.map((s) => s.handle)).toEqual(['shown_sue']);
    const page = await (await new Browser().request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
    expect(page).toContain('@shown_sue');
    expect(page).not.toContain('hidden_hal');
    expect(page).toContain('href="/privacy"');

    // Hal changes his mind on his private page; Sue hides hers through the API.
    const manage = await pageWithToken(hidden.browser, hiddenManage);
    expect(manage.html).toContain('The campaign page does not name you');
    const key = new URL(hiddenManage).searchParams.get('key') ?? '';
    const shownNow = await hidden.browser.request(`${chorus.url}${new URL(hiddenManage).pathname}/visibility`, {
      headers: html,
      form: { _csrf: manage.token, key, showName: 'yes' },
    });
    expect(shownNow.status).toBe(200);
    expect(await shownNow.text()).toContain('The campaign page now shows your name.');
    const sueId = sueManage.pathname.split('/').at(-1) ?? '';
    const hiddenSue = await new Browser().json<{ showName: boolean }>(`${chorus.url}/api/v1/pledges/${sueId}`, {
      method: 'PATCH',
      json: { showName: false },
      headers: { authorization: `Bearer ${sueManage.searchParams.get('key') ?? ''}` },
    });
    expect(hiddenSue).toMatchObject({ status: 200, body: { showName: false } });

    await expect
      .poll(async () => {
        const now = await organiser.json<{ supporters: number; topSupporters: { handle: string }[] }>(
          `${chorus.url}/api/v1/public/campaigns/${campaign.slug}`,
        );
        return [now.body.supporters, now.body.topSupporters.map((s) => s.handle)];
      })
      .toEqual([2, ['hidden_hal']]);
  });

  it('through the API, a supporter is named only with showName=true, and a renewal that does not say keeps their choice', async () => {
    const campaign = await openCampaign();
    expect(await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'api_amy', followers: 10, showName: true })).toMatchObject({
      status: 201,
      body: { showName: true },
    });
    expect(await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'api_abe', followers: 10 })).toMatchObject({
      status: 201,
      body: { showName: false },
    });
    expect(await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'api_amy', followers: 12 })).toMatchObject({
      status: 200,
      body: { showName: true },
    });
    const numbers = await organiser.json<{ supporters: number; recentSupporters: { handle: string }[] }>(
      `${chorus.url}/api/v1/public/campaigns/${campaign.slug}`,
    );
    expect(numbers.body.supporters).toBe(2);
    expect(numbers.body.recentSupporters.map((s) => s.handle)).toEqual(['api_amy']);
  });

  it('has a privacy page, linked from every page, that says how long supporters’ data is kept', async () => {
    const privacy = await new Browser().request(`${chorus.url}/privacy`, { headers: html });
    expect(privacy.status).toBe(200);
    const text = await privacy.text();
    expect(text).toContain('What Chorus keeps, and for how long');
    expect(text).toContain('<strong>30 days after the campaign ends</strong>');
    expect(text).toContain('up to 30 minutes');
    for (const path of ['/', '/organiser/sign-in']) {
      const page = await (await new Browser().request(`${chorus.url}${path}`, { headers: html })).text();
      expect(page).toContain('<a href="/privacy">');
    }
  });
});
