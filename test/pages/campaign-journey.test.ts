import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, phone, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { londonLaunchTime, moveLaunchOnPage } from '../support/journey-steps.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

describe('campaign pages in a browser', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;

  beforeAll(async () => {
    // A budget of 2 posts a day: the preflight warns while 3 are pledged, and after one withdraws both go out
    // (on a database of its own, so that no other test file's X posts have spent it).
    chorus = await startTestChorus({ ownDatabase: true, env: { X_APP_POST_BUDGET: '2' } });
    await chorus.startWorkers();
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  const person = (options?: { phone?: boolean; timezoneId?: string }) => journey.person(options);
  const audit = (page: Page, name: string) => journey.audit(page, name);

  it('organiser creates a campaign, supporters pledge, one withdraws, it launches and every page reads well', async () => {
    // The organiser signs up and creates a campaign through the pages.
    const organiser = await person({ timezoneId: 'America/New_York' });
    await organiser.goto(`${chorus.url}/organiser/sign-up`);
    await audit(organiser, 'sign up');
    await organiser.getByLabel('Organisation name').fill('Skills for Health');
    await organiser.getByLabel('Email').fill(`organiser-${Date.now()}@example.org`);
    await organiser.getByLabel('Password').fill('correct horse battery');
    await organiser.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => organiser.getByRole('heading', { name: 'Your campaigns' }).isVisible()).toBe(true);
    await audit(organiser, 'campaign list');

    await organiser.getByRole('link', { name: 'Start a new campaign' }).click();
    const link = 'https://example.org/ourhealthheroes';
    await organiser.getByLabel('Title').fill('Our Health Heroes');
    await organiser.getByLabel('Campaign link').fill(link);
    await organiser
      .getByLabel('About the campaign')
      .fill('Say thank you to the healthcare support workforce.\n\nSupport workers are 40% of the UK health workforce.');
    await organiser
      .getByLabel('The message')
      .fill(`Thank you to all the healthcare support workers across the UK! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Wording 1').fill(`Let's talk about the healthcare support workforce! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Goal (supporters)').fill('1');
    await organiser.getByLabel('Time zone').selectOption('Europe/London');
    // Left without a launch time first: the form comes back with the message beside the field.
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => organiser.locator('#launchAt-error').textContent()).toContain('Pick the launch date and time');
    expect(await organiser.getByLabel('Title').inputValue()).toBe('Our Health Heroes');
    await audit(organiser, 'new campaign form with an error');
    await organiser.getByLabel('Date and time').fill(londonLaunchTime({ hours: 1 }));
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    // Created: the "ready to share" step, then the dashboard.
    await expect.poll(() => organiser.getByRole('heading', { name: 'Your campaign is ready: share this link' }).isVisible()).toBe(true);
    await audit(organiser, 'campaign ready to share');
    await organiser.getByRole('link', { name: 'Go to the dashboard' }).click();
    await expect.poll(() => organiser.getByText('Reach dashboard').isVisible()).toBe(true);
    expect(await organiser.locator('body').textContent()).toContain('(Europe/London)');

    await organiser.getByLabel('New goal (supporters)').fill('2');
    await organiser.getByRole('button', { name: 'Set the goal' }).click();
    await expect.poll(() => organiser.getByText('The goal is now 2 supporters.').isVisible()).toBe(true);
    await organiser.getByLabel('Update for supporters').fill('Our video is ready for launch day. Thank you all!');
    await organiser.getByRole('button', { name: 'Post the update' }).click();
    await expect.poll(() => organiser.getByText('The update is on the campaign page.').isVisible()).toBe(true);
    const dashboardUrl = organiser.url().replace(/\/updates$/, '');
    await organiser.goto(`${dashboardUrl}/preview`);
    await audit(organiser, 'launch preview');
    await organiser.goto(`${dashboardUrl}/edit`);
    await audit(organiser, 'edit campaign');
    await organiser.goto(dashboardUrl);
    await audit(organiser, 'dashboard before pledges');
    const publicPath = await organiser.getByRole('link', { name: 'Public page' }).getAttribute('href');
    const campaignUrl = `${chorus.url}${publicPath ?? ''}`;
    const supportersOnDashboard = () => organiser.locator('#dashboard [data-field="supporters"]').textContent();

    // Supporter one pledges with the main message, on a phone in Paris.
    const pat = await person({ phone: true, timezoneId: 'Europe/Paris' });
    await pat.goto(campaignUrl);
    expect(await pat.locator('meta[property="og:title"]').getAttribute('content')).toBe('Our Health Heroes');
    // The link previews as a large image: the campaign's share image, with its progress.
    expect(await pat.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
    await expect.poll(() => pat.locator('[data-local-time]').textContent()).toContain('in your time zone (Europe/Paris)');
    expect(await pat.locator('body').textContent()).toContain('Our video is ready for launch day.');
    await audit(pat, 'campaign page (phone)');
    await pat.screenshot({ path: new URL('campaign-page-phone.png', artifacts).pathname, fullPage: true });
    await pat.getByRole('link', { name: 'Support with X' }).click();
    await pat.getByLabel('Username').fill('porter_pat');
    await pat.getByLabel('Followers').fill('120');
    await pat.getByRole('button', { name: 'Authorize app' }).click();
    await expect.poll(() => pat.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    await audit(pat, 'review');
    await pat.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => pat.getByText('One post, at this time, then we delete our access.').isVisible()).toBe(true);
    await audit(pat, 'confirmation');
    const withdrawUrl = (await pat.locator('#manage-link').getAttribute('href')) ?? '';
    expect(withdrawUrl).toContain('key=chorus_pledge_');
    await expect.poll(supportersOnDashboard).toBe('1');

    // Supporter two writes their own words; the network's counting shows as they type.
    const nia = await person({ phone: true, timezoneId: 'Europe/London' });
    await nia.goto(campaignUrl);
    await nia.getByRole('link', { name: 'Support with X' }).click();
    await nia.getByLabel('Username').fill('nurse_nia');
    await nia.getByLabel('Followers').fill('4500');
    await nia.getByRole('button', { name: 'Authorize app' }).click();
    // The box for her own words appears once she chooses to write them.
    await nia.getByText('Write it in my own words').click();
    await nia.getByLabel('Your own words').fill(`Support workers got me through night shifts for ten years. Thank you! ${link}`);
    await expect.poll(() => nia.locator('#text-counter').textContent()).toMatch(/^9\d of 280 characters, as X counts them$/);
    await nia.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => nia.locator('#text-error').textContent()).toContain("keep the campaign's hashtag #ourhealthheroes");
    await audit(nia, 'review with an error');
    const ownWords = `Support workers got me through night shifts for ten years. Thank you! ${link} #OurHealthHeroes`;
    await nia.getByLabel('Your own words').fill(ownWords);
    await nia.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => nia.locator('#pledged-text').textContent()).toBe(ownWords);
    await expect.poll(supportersOnDashboard).toBe('2');

    // Someone declines on the consent page and is told nothing happened.
    const lou = await person({ phone: true, timezoneId: 'Europe/London' });
    await lou.goto(campaignUrl);
    await lou.getByRole('link', { name: 'Support with X' }).click();
    await lou.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => lou.getByRole('heading', { name: 'No pledge was made' }).isVisible()).toBe(true);
    expect(await lou.getByRole('link', { name: /Try again/ }).getAttribute('href')).toBe(publicPath);
    await audit(lou, 'consent declined');

    // A third supporter through the JSON API, beside the pages.
    expect((await pledgeThroughConsent(chorus.url, publicPath?.slice(3) ?? '', { username: 'cleaner_cal', followers: 80 })).status).toBe(
      201,
    );
    await expect.poll(supportersOnDashboard).toBe('3');
    await expect
      .poll(() => organiser.locator('[data-rows="preflight"] .warning').textContent())
      .toContain('3 pledges on X, but the app may post 2 a day');
    expect(await organiser.locator('[data-rows="top"] li').first().textContent()).toContain('@nurse_nia');

    // Supporter one withdraws through their private link.
    await pat.goto(withdrawUrl);
    await audit(pat, 'manage pledge');
    await pat.getByRole('button', { name: 'Withdraw my pledge' }).click();
    await expect.poll(() => pat.getByRole('heading', { name: 'Your pledge is withdrawn' }).isVisible()).toBe(true);
    await audit(pat, 'withdrawn');
    await expect.poll(supportersOnDashboard).toBe('2');

    // The organiser brings the launch forward to a few seconds from now; the dashboard shows the results.
    await moveLaunchOnPage(organiser, dashboardUrl, 8);

    await expect.poll(() => organiser.locator('[data-field="sent"]').textContent(), { timeout: 40_000 }).toBe('2');
    await expect.poll(() => organiser.locator('[data-field="outcome"]').textContent()).toContain('launched');
    const results = (await organiser.locator('[data-rows="results"]').textContent()) ?? '';
    expect(results).toContain('@nurse_nia');
    expect(results).toContain('@cleaner_cal');
    expect(results).not.toContain('@porter_pat');
    expect(await organiser.locator('[data-rows="results"] a').first().getAttribute('href')).toMatch(/^https:\/\/x\.com\/\w+\/status\/\w+$/);
    await audit(organiser, 'dashboard after launch');
    await organiser.screenshot({ path: new URL('dashboard-desktop.png', artifacts).pathname, fullPage: true });
    await organiser.setViewportSize(phone.viewport);
    await organiser.screenshot({ path: new URL('dashboard-phone.png', artifacts).pathname, fullPage: true });

    const csv = await organiser.request.get(`${dashboardUrl}/results.csv`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const csvText = await csv.text();
    expect(csvText.split('\n')[0]).toBe('handle,network,reach,state,post_url,reason,sent_at');
    expect(csvText).toMatch(/\nnurse_nia,X,4500,sent,https:\/\/x\.com\/nurse_nia\/status\/\w+,,\d{4}-/);

    // The public page says how it ended.
    await nia.goto(campaignUrl);
    expect(await nia.locator('.outcome').textContent()).toMatch(/This campaign launched on .* with 2 posts delivered\./);
    await audit(nia, 'campaign page ended (phone)');
    await nia.screenshot({ path: new URL('campaign-page-ended-phone.png', artifacts).pathname, fullPage: true });

    const posts = await sandboxPosts(chorus.sandbox.url);
    expect(posts.find((p) => p.username === 'nurse_nia')?.text).toContain('Support workers got me through night shifts');
    expect(posts.some((p) => p.username === 'porter_pat')).toBe(false);

    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
    expect(journey.audited.size).toBeGreaterThanOrEqual(14);
    expect(journey.cspProblems).toEqual([]);
  }, 150_000);
});
