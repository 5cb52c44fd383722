import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { createCampaignForReviewOnPage, moveLaunchOnPage, signInOperatorOnPage, signUpOnPage } from '../support/journey-steps.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

/** Every status the sandbox Mastodon instance received. */
async function mastodonStatuses(origin: string): Promise<{ username?: string; text: string }[]> {
  const body = (await (await fetch(`${origin}/__sandbox/statuses`)).json()) as { statuses: { username?: string; text: string }[] };
  return body.statuses;
}

// Issue 14's first journey: with review on (the other tests turn it off), a campaign waits for an operator before it
// is public, and once approved it collects and launches like any other: supporters pledge on its page, and at the
// launch time their posts reach the networks (the sandbox X and Mastodon), run by the real workers.
describe('a campaign from review to launch in a browser', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { CAMPAIGN_REVIEW: 'on' } });
    await chorus.startWorkers();
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  /** A supporter on a phone pledges the campaign's message on X, through the campaign page and the consent page. */
  async function pledgeOnX(campaignUrl: string, username: string, followers: number): Promise<Page> {
    const supporter = await journey.person({ phone: true });
    await supporter.goto(campaignUrl);
    await supporter.getByRole('link', { name: 'Support with X' }).click();
    await supporter.getByLabel('Username').fill(username);
    await supporter.getByLabel('Followers').fill(String(followers));
    await supporter.getByRole('button', { name: 'Authorize app' }).click();
    await expect.poll(() => supporter.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    await supporter.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => supporter.locator('main').textContent()).toContain(`One post from @${username} on X`);
    return supporter;
  }

  it("an organiser's campaign waits for review, an operator approves it, supporters pledge, and at the launch their posts go out", async () => {
    // The organiser signs up, creates the campaign (X and Mastodon) and asks to open it: it waits for review.
    const organiser = await journey.person();
    await signUpOnPage(organiser, chorus.url, { organisation: 'Unison Health Branch' });
    const link = 'https://example.org/carersweek';
    const message = `Thank you, carers: the health service runs on you. ${link} #CarersWeek`;
    await createCampaignForReviewOnPage(organiser, {
      title: 'Carers Week',
      link,
      message,
      goal: 2,
      launchIn: { hours: 1 },
      uncheckNetworks: ['Bluesky', 'LinkedIn'],
    });
    expect(await organiser.locator('#review-waiting').textContent()).toMatch(/review/i);
    const dashboardUrl = organiser.url();
    const publicPath = (await organiser.getByRole('link', { name: 'Public page' }).getAttribute('href')) ?? '';
    const campaignUrl = `${chorus.url}${publicPath}`;
    await journey.audit(organiser, 'dashboard waiting for review');
    // Not public while it waits: its page is not there, for a visitor's browser too.
    expect((await fetch(campaignUrl)).status).toBe(404);
    const early = await journey.person({ phone: true });
    expect((await early.goto(campaignUrl))?.status()).toBe(404);

    // The operator, with two-factor sign-in, finds it among the reviews and approves it.
    const operator = await journey.person();
    await signInOperatorOnPage(operator, chorus);
    await expect.poll(() => operator.getByRole('heading', { name: /Reviews waiting \(1\)/ }).isVisible()).toBe(true);
    expect(await operator.locator('main').textContent()).toContain('Thank you, carers');
    await operator.getByRole('button', { name: 'Approve “Carers Week”' }).click();
    await expect.poll(() => operator.locator('#operator-notice').textContent()).toContain('it is open to supporters');
    await journey.audit(operator, 'operator view after an approval');

    // Open: the organiser's dashboard no longer says it waits, and the page is public.
    await organiser.reload();
    expect(await organiser.locator('#review-waiting').count()).toBe(0);
    const supportersOnDashboard = () => organiser.locator('#dashboard [data-field="supporters"]').textContent();

    // Supporters pledge through the public page: one on X, one on Mastodon (typing their instance).
    const pat = await pledgeOnX(campaignUrl, 'porter_pat', 120);
    await journey.audit(pat, 'confirmation after review');
    await expect.poll(supportersOnDashboard).toBe('1');
    const ivy = await journey.person({ phone: true });
    await ivy.goto(campaignUrl);
    await ivy.getByLabel('Your Mastodon instance').fill(chorus.mastodon.origin);
    await ivy.getByRole('button', { name: 'Support with Mastodon' }).click();
    await ivy.getByLabel('Username').fill('toot_ivy');
    await ivy.getByLabel('Followers').fill('300');
    await ivy.getByRole('button', { name: 'Authorize' }).click();
    await expect.poll(() => ivy.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    await ivy.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => ivy.getByText('One post, at this time, then we delete our access.').isVisible()).toBe(true);
    await expect.poll(supportersOnDashboard).toBe('2');

    // The launch time comes (brought forward to a few seconds away): the workers post both, the networks receive them.
    await moveLaunchOnPage(organiser, dashboardUrl, 8);
    await expect.poll(() => organiser.locator('[data-field="sent"]').textContent(), { timeout: 40_000 }).toBe('2');
    await expect.poll(() => organiser.locator('[data-field="outcome"]').textContent()).toContain('launched');
    const results = (await organiser.locator('[data-rows="results"]').textContent()) ?? '';
    expect(results).toContain('@porter_pat');
    expect(results).toContain('@toot_ivy');
    await journey.audit(organiser, 'dashboard after a reviewed launch');
    await organiser.screenshot({ path: new URL('dashboard-after-review-launch.png', artifacts).pathname, fullPage: true });

    const tweets = await sandboxPosts(chorus.sandbox.url);
    expect(tweets.filter((t) => t.username === 'porter_pat').map((t) => t.text)).toEqual([message]);
    const toots = await mastodonStatuses(chorus.mastodon.origin);
    expect(toots.filter((t) => t.username === 'toot_ivy').map((t) => t.text)).toEqual([message]);

    // The public page says how it ended.
    await pat.goto(campaignUrl);
    expect(await pat.locator('.outcome').textContent()).toMatch(/This campaign launched on .* with 2 posts delivered\./);

    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
    expect(journey.cspProblems).toEqual([]);
  }, 150_000);
});
