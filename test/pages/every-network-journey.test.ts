import { DateTime } from 'luxon';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLinkedInSandbox, type RunningLinkedInSandbox } from '../../src/networks/linkedin/sandbox/linkedin-sandbox-server.ts';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { signUpOnPage } from '../support/journey-steps.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// Chorus with every network, and a LinkedIn whose grants last an hour: a campaign launching in two
// days outlives them, as a 60-day campaign outlives LinkedIn's real 60-day grants.
describe('every network in the browser pages', () => {
  let chorus: TestChorus;
  let shortLinkedIn: RunningLinkedInSandbox;
  let journey: BrowserJourney;

  beforeAll(async () => {
    shortLinkedIn = await startLinkedInSandbox({
      clients: [{ clientId: 'chorus-test', clientSecret: 'chorus-test-secret' }],
      accessTokenTtlSeconds: 3600,
    });
    chorus = await startTestChorus({
      ownDatabase: true,
      env: { LINKEDIN_API_URL: shortLinkedIn.url, LINKEDIN_AUTHORIZE_URL: shortLinkedIn.authorizeUrl },
    });
    await chorus.startWorkers();
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
    await shortLinkedIn.close();
  });

  const person = (options?: { phone?: boolean; timezoneId?: string }) => journey.person(options);
  const audit = (page: Page, name: string) => journey.audit(page, name);

  /** Clicks and returns the answer to the navigation it starts. */
  async function answerTo(page: Page, click: () => Promise<void>, path: string): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(path) && r.request().isNavigationRequest()),
      click(),
    ]);
    return response;
  }

  /** A table body's rows, each as its cells' texts joined with " | ". */
  async function tableRows(page: Page, rows: string): Promise<string[]> {
    const found = page.locator(`[data-rows="${rows}"] tr`);
    const texts: string[] = [];
    for (let i = 0; i < (await found.count()); i++) {
      texts.push((await found.nth(i).locator('th, td').allTextContents()).map((cell) => cell.replace(/\s+/g, ' ').trim()).join(' | '));
    }
    return texts;
  }

  const pledgeCount = async () =>
    (
      await chorus.ctx.db
        .selectFrom('pledges')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('supporters pledge on X, Mastodon and LinkedIn; the organiser runs repost mode and sees each network to the results', async () => {
    // The organiser creates a campaign on every network, in repost mode, launching in two days.
    const organiser = await person();
    await signUpOnPage(organiser, chorus.url);
    await organiser.getByRole('link', { name: 'Start a new campaign' }).click();
    const link = 'https://example.org/ourhealthheroes';
    await organiser.getByLabel('Title').fill('Our Health Heroes');
    await organiser.getByLabel('Campaign link').fill(link);
    await organiser
      .getByLabel('The message')
      .fill(`Thank you to all the healthcare support workers across the UK! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Goal (supporters)').fill('3');
    await organiser.getByLabel('Time zone').selectOption('Europe/London');
    await organiser
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    for (const network of ['X', 'Mastodon', 'LinkedIn'])
      expect(await organiser.getByRole('checkbox', { name: new RegExp(`^${network} \\(up to`) }).isChecked()).toBe(true);
    // This story is about X, Mastodon and LinkedIn; Bluesky has its own tests against its reference servers.
    await organiser.getByRole('checkbox', { name: /^Bluesky \(up to/ }).uncheck();
    expect(await organiser.getByRole('radio', { name: /^Post:/ }).isChecked()).toBe(true);
    await organiser.getByRole('radio', { name: /^Repost:/ }).check();
    await audit(organiser, 'new campaign form with X modes');
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => organiser.getByRole('link', { name: 'Go to the dashboard' }).isVisible()).toBe(true);
    await organiser.getByRole('link', { name: 'Go to the dashboard' }).click();
    await expect.poll(() => organiser.getByText('Reach dashboard').isVisible()).toBe(true);
    const dashboardUrl = organiser.url();
    const campaignId = dashboardUrl.split('/').at(-1) ?? '';

    // The dashboard says repost mode needs the campaign's X account, and links to connecting it.
    const xPanel = organiser.locator('section[aria-labelledby="x-account-heading"]');
    expect(await xPanel.textContent()).toContain('Repost mode');
    expect(await xPanel.locator('.warning').textContent()).toContain('No X account is connected');
    expect(await organiser.getByRole('link', { name: "Connect the campaign's X account" }).getAttribute('href')).toBe(
      `/api/v1/campaigns/${campaignId}/connect/x`,
    );
    // Every network has its row, pledged on or not, with its own limits.
    const networkRows = () => tableRows(organiser, 'networks');
    expect(await networkRows()).toEqual([
      'X | 0 | 0 | 10,000 posts a day for the whole app | US$0.00',
      'Mastodon | 0 | 0 | None app-wide: each supporter posts from their own account | No charge',
      'LinkedIn | 0 | 0 (not shared by LinkedIn) | None app-wide: each supporter posts from their own account | No charge',
    ]);
    await audit(organiser, 'dashboard in repost mode, no X account');
    const publicPath = await organiser.getByRole('link', { name: 'Public page' }).getAttribute('href');
    const campaignUrl = `${chorus.url}${publicPath ?? ''}`;

    // A Mastodon supporter mistypes their instance: the campaign page comes back with the reason beside the field.
    const ivy = await person({ phone: true });
    await ivy.goto(campaignUrl);
    await audit(ivy, 'campaign page with every network (phone)');
    const instance = ivy.getByLabel('Your Mastodon instance');
    expect(await ivy.locator('#instance-mastodon-hint').textContent()).toContain('The server your account is on, e.g. mastodon.social');
    expect(await ivy.locator('#instance-mastodon-suggested option').getAttribute('value')).toBe('mastodon.social');
    await instance.fill('not a host');
    const refused = await answerTo(ivy, () => ivy.getByRole('button', { name: 'Support with Mastodon' }).click(), '/support/mastodon');
    expect(refused.status()).toBe(400);
    expect(new URL(ivy.url()).pathname).toBe(`${publicPath ?? ''}/support/mastodon`);
    expect(await ivy.locator('#instance-mastodon-error').textContent()).toContain(
      'That is not an instance name; type it like mastodon.social.',
    );
    expect(await instance.inputValue()).toBe('not a host');
    expect(await instance.getAttribute('aria-invalid')).toBe('true');
    expect(await pledgeCount()).toBe(0);
    await audit(ivy, 'campaign page with a refused instance (phone)');
    await ivy.locator('form.server-choice').screenshot({ path: new URL('campaign-page-refused-instance-phone.png', artifacts).pathname });

    // Then types their instance (the sandbox's), approves there, and pledges.
    await instance.fill(chorus.mastodon.origin);
    await ivy.getByRole('button', { name: 'Support with Mastodon' }).click();
    await ivy.getByLabel('Username').fill('toot_ivy');
    await ivy.getByLabel('Followers').fill('300');
    await ivy.getByRole('button', { name: 'Authorize' }).click();
    await expect.poll(() => ivy.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    const mastodonHandle = `@toot_ivy@${new URL(chorus.mastodon.origin).host}`;
    expect(await ivy.locator('main').textContent()).toContain(`You are signed in on Mastodon as ${mastodonHandle}`);
    expect(await ivy.locator('#text-counter').textContent()).toContain('of 500 characters, as Mastodon counts them');
    await audit(ivy, 'review on Mastodon');
    await ivy.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => ivy.getByText('One post, at this time, then we delete our access.').isVisible()).toBe(true);
    expect(await ivy.locator('main').textContent()).toContain(`One post from ${mastodonHandle} on Mastodon`);
    expect(await ivy.getByRole('heading', { name: /access ends before the launch/ }).count()).toBe(0);
    await audit(ivy, 'confirmation on Mastodon');

    // A LinkedIn supporter's grant ends before the launch: review and confirmation say so, with the date and the way to renew.
    const kay = await person();
    await kay.goto(campaignUrl);
    await kay.getByRole('link', { name: 'Support with LinkedIn' }).click();
    await kay.getByLabel('Username').fill('li_kay');
    await kay.getByLabel('Followers').fill('0');
    await kay.getByRole('button', { name: 'Authorize' }).click();
    await expect.poll(() => kay.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    const review = (await kay.locator('main').textContent()) ?? '';
    expect(review).toContain('You are signed in on LinkedIn as li_kay');
    expect(review).not.toContain('@li_kay');
    const expiresOn = DateTime.now().setZone('Europe/London').plus({ hours: 1 }).toFormat('d LLLL yyyy, HH:');
    // Authorising again from six minutes (a tenth of the grant's hour) inside the last hour before the launch renews it past the launch.
    const launchAt = DateTime.fromISO((await kay.locator('time').first().getAttribute('datetime')) ?? '', { zone: 'Europe/London' });
    const renewFrom = launchAt.minus({ minutes: 54 }).toFormat('d LLLL yyyy, HH:mm ZZZZ');
    const warning = kay.locator('[aria-labelledby="expiry-heading"]');
    expect(await kay.getByRole('heading', { name: 'Your LinkedIn access ends before the launch' }).isVisible()).toBe(true);
    expect(await warning.textContent()).toContain(`only until ${expiresOn}`);
    expect(await warning.textContent()).toContain(`open this link again on or after ${renewFrom}, before the launch`);
    expect(await kay.getByRole('link', { name: 'Authorise again on LinkedIn' }).getAttribute('href')).toBe(
      `${campaignUrl}/support/linkedin`,
    );
    await audit(kay, 'review on LinkedIn with an expiry warning');
    await kay.screenshot({ path: new URL('review-linkedin-expiry.png', artifacts).pathname, fullPage: true });
    await kay.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => kay.getByText('One post, at this time, then we delete our access.').isVisible()).toBe(true);
    expect(await kay.locator('main').textContent()).toContain('One post from li_kay on LinkedIn');
    expect(await warning.textContent()).toContain(`only until ${expiresOn}`);
    expect(await warning.textContent()).toContain('To keep your pledge, open this link again on or after');
    await audit(kay, 'confirmation on LinkedIn with an expiry warning');
    // Following the link renews the grant on the same pledge: confirmed again, counted once.
    const firstWithdrawLink = await kay.locator('#manage-link').getAttribute('href');
    await kay.getByRole('link', { name: 'Authorise again on LinkedIn' }).click();
    await kay.getByLabel('Username').fill('li_kay');
    await kay.getByLabel('Followers').fill('0');
    await kay.getByRole('button', { name: 'Authorize' }).click();
    const renewed = await answerTo(kay, () => kay.getByRole('button', { name: 'Confirm my pledge' }).click(), '/review');
    expect(renewed.status()).toBe(200);
    expect(await kay.locator('.notice').textContent()).toContain('is renewed with your new authorisation');
    expect(await kay.locator('#manage-link').getAttribute('href')).not.toBe(firstWithdrawLink);
    expect(await pledgeCount()).toBe(2);

    // The organiser sees the pledge at risk, per network, and what to do about it.
    await organiser.reload();
    const atRisk = organiser.locator('section[aria-labelledby="expiring-heading"]');
    expect(await atRisk.locator('.warning').allTextContents()).toEqual([
      expect.stringContaining("1 pledge on LinkedIn: the supporter's access ends before the launch"),
    ]);
    expect(await atRisk.textContent()).toContain(
      'post an update asking supporters on these networks to open the campaign page and support again',
    );
    expect(await networkRows()).toEqual([
      expect.stringMatching(/^X \| 0 \| 0 \| /),
      expect.stringMatching(/^Mastodon \| 1 \| 300 \| /),
      expect.stringMatching(/^LinkedIn \| 1 \| 0 \(not shared by LinkedIn\) \| /),
    ]);
    expect(await organiser.locator('[data-rows="top"]').textContent()).toContain(`${mastodonHandle} 300 followers on Mastodon`);
    await audit(organiser, 'dashboard with a pledge at risk');

    // The organiser connects the campaign's own X account from the dashboard, and comes back to it.
    await organiser.getByRole('link', { name: "Connect the campaign's X account" }).click();
    await organiser.getByLabel('Username').fill('nhs_heroes');
    await organiser.getByLabel('Followers').fill('90000');
    await organiser.getByRole('button', { name: 'Authorize app' }).click();
    await expect.poll(() => organiser.url()).toBe(dashboardUrl);
    expect(await xPanel.textContent()).toContain('Connected as @nhs_heroes');
    expect(await xPanel.locator('.warning').count()).toBe(0);
    expect(await organiser.getByRole('link', { name: "Reconnect the campaign's X account" }).isVisible()).toBe(true);
    await audit(organiser, 'dashboard in repost mode, X account connected');

    // An X supporter pledges as usual.
    const gus = await person({ phone: true });
    await gus.goto(campaignUrl);
    await gus.getByRole('link', { name: 'Support with X' }).click();
    await gus.getByLabel('Username').fill('rt_gus');
    await gus.getByLabel('Followers').fill('40');
    await gus.getByRole('button', { name: 'Authorize app' }).click();
    await gus.getByRole('button', { name: 'Confirm my pledge' }).click();
    await expect.poll(() => gus.locator('main').textContent()).toContain('One post from @rt_gus on X');
    await expect.poll(() => organiser.locator('#dashboard [data-field="supporters"]').textContent()).toBe('3');

    // The launch is brought forward to a few seconds away (the LinkedIn grant now outlives it); every network delivers.
    const edit = await organiser.context().newPage();
    await edit.goto(`${dashboardUrl}/edit`);
    expect(await edit.getByRole('radio', { name: /^Repost:/ }).isChecked()).toBe(true);
    await audit(edit, 'edit form in repost mode');
    await edit
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ seconds: 8 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.locator('.notice').textContent()).toContain('Saved.');
    await edit.close();

    await expect.poll(() => organiser.locator('[data-field="sent"]').textContent(), { timeout: 40_000 }).toBe('3');
    await expect
      .poll(async () => (await tableRows(organiser, 'deliveryByNetwork')).sort())
      .toEqual(['LinkedIn | 1 | 0 | 0', 'Mastodon | 1 | 0 | 0', 'X | 1 | 0 | 0']);
    const results = organiser.locator('[data-rows="results"] tr');
    const row = (handle: string) => results.filter({ hasText: handle });
    expect(await row(mastodonHandle).locator('td').first().textContent()).toBe('Mastodon');
    expect(await row(mastodonHandle).getByRole('link').getAttribute('href')).toMatch(
      new RegExp(`^${chorus.mastodon.origin}/@toot_ivy/\\w+$`),
    );
    expect(await row('li_kay').getByRole('link').getAttribute('href')).toMatch(
      /^https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:share:\w+\/$/,
    );
    expect(await row('@rt_gus').getByRole('link').getAttribute('href')).toMatch(/^https:\/\/x\.com\/rt_gus\/status\/\w+$/);
    // After the launch the account panel shows the post and no way to reconnect: live, and again when the page loads.
    expect(await xPanel.textContent()).toContain('Connected as @nhs_heroes. Its campaign post was made.');
    expect(await xPanel.getByRole('link').count()).toBe(0);
    await organiser.reload();
    expect(await xPanel.textContent()).toContain('Connected as @nhs_heroes. Its campaign post was made.');
    expect(await xPanel.getByRole('link').count()).toBe(0);
    expect(await row(mastodonHandle).getByRole('link').getAttribute('href')).toMatch(
      new RegExp(`^${chorus.mastodon.origin}/@toot_ivy/\\w+$`),
    );
    await audit(organiser, 'dashboard after launch on every network');
    await organiser.screenshot({ path: new URL('dashboard-every-network.png', artifacts).pathname, fullPage: true });

    // The campaign's account posted; the X supporter reposted it rather than posting the text.
    const tweets = await sandboxPosts(chorus.sandbox.url);
    expect(tweets.filter((t) => t.username === 'nhs_heroes')).toHaveLength(1);
    expect(tweets.some((t) => t.username === 'rt_gus')).toBe(false);

    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
    expect(journey.audited.size).toBe(12);
    expect(journey.cspProblems).toEqual([]);
  }, 150_000);
});
