import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import type { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { pledgeThroughConsent, type PledgeAnswer } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// A 1×1 PNG: the page shows it cover-cropped, as tall as a real campaign image.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const phoneScreen = { width: 390, height: 844 };
const desktopScreen = { width: 1280, height: 900 };

describe('the supporter pages in a browser, phone first', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;
  let organiser: Browser;

  beforeAll(async () => {
    // Its own database: the X posts of the launched campaign spend the app-wide budget kept there.
    chorus = await startTestChorus({ ownDatabase: true });
    await chorus.startWorkers();
    journey = await startBrowserJourney();
    organiser = await signUpOrganiser(chorus.url);
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  async function create(overrides: Record<string, unknown>, secondsAhead = 3 * 86_400) {
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      // A local time in the organiser's zone, as the create form sends it.
      json: campaignBody(
        {
          launchAt: DateTime.now().setZone('Europe/London').plus({ seconds: secondsAhead }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
          timeZone: 'Europe/London',
          ...overrides,
        },
        secondsAhead,
      ),
    });
    expect(created.status).toBe(201);
    return created.body;
  }
  async function pledge(slug: string, username: string, followers: number, showName = true): Promise<PledgeAnswer> {
    const answer = await pledgeThroughConsent(chorus.url, slug, { username, followers, showName });
    expect(answer.status).toBe(201);
    return answer;
  }
  async function addImage(id: string) {
    const edit = await (
      await organiser.request(`${chorus.url}/organiser/campaigns/${id}/edit`, { headers: { accept: 'text/html' } })
    ).text();
    const token = decodeURIComponent(/image\?_csrf=([^"]+)"/.exec(edit)?.[1] ?? '').replaceAll('&amp;', '&');
    const form = new FormData();
    form.set('imageAlt', 'Porters and nurses waving outside the hospital');
    form.set('image', new Blob([png], { type: 'image/png' }), 'poster.png');
    const uploaded = await organiser.upload(`${chorus.url}/organiser/campaigns/${id}/image?_csrf=${encodeURIComponent(token)}`, form);
    expect(uploaded.status).toBe(200);
  }

  /** Whether the element's box lies wholly within the first screen (nothing scrolled). */
  async function onFirstScreen(page: Page, selector: string): Promise<boolean> {
    const box = await page.locator(selector).first().boundingBox();
    const size = page.viewportSize();
    return box !== null && size !== null && box.y >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
  }
  /** How many CSS pixels the page is wider than its window (0 when nothing overflows sideways). */
  const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  /**
   * The page at phone and desktop widths: axe at both, a full-page screenshot of each into test/artifacts/, and no
   * sideways scrolling at 320 px or at 640 px (a 1280 px window at 200 % zoom). Leaves the page at phone size.
   */
  async function inspect(page: Page, name: string) {
    for (const [label, size] of [
      ['390', phoneScreen],
      ['1280', desktopScreen],
    ] as const) {
      await page.setViewportSize(size);
      await journey.audit(page, `${name} at ${label}`);
      await page.screenshot({ path: new URL(`supporter-${name}-${label}.png`, artifacts).pathname, fullPage: true });
    }
    for (const width of [320, 640]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await overflow(page), `${name} at ${width} px`).toBe(0);
    }
    await page.setViewportSize(phoneScreen);
  }

  async function person(timezoneId = 'Europe/London'): Promise<Page> {
    const page = await journey.person({ timezoneId });
    await page.setViewportSize(phoneScreen);
    return page;
  }

  it('every supporter page reads well at 390 and 1280 px, with progress, Support and Confirm on the first phone screen', async () => {
    // Launches a few seconds away first, so that they have ended by the time the other pages are seen.
    const launching = await create({ title: 'Thank a porter today', goal: 1, listed: true }, 6);
    const named = await pledge(launching.slug, 'porter_pat', 2300);
    await pledge(launching.slug, 'quiet_quinn', 40, false);
    const missed = await create({ title: 'A goal too far', goal: 5 }, 6);
    await pledge(missed.slug, 'lonely_lou', 12);
    const cancelled = await create({ title: 'Called off' });
    expect((await organiser.json(`${chorus.url}/api/v1/campaigns/${cancelled.id}/cancel`, { method: 'POST' })).status).toBe(200);

    const open = await create({ title: 'Our Health Heroes', goal: 100, listed: true });
    await addImage(open.id);
    for (const [name, followers] of [
      ['nurse_nia', 4500],
      ['cleaner_cal', 80],
      ['medic_mo', 1200],
    ] as const)
      await pledge(open.slug, name, followers);
    await pledge(open.slug, 'shy_sam', 70, false);
    const reached = await create({ title: 'Goal reached already', goal: 2 });
    await pledge(reached.slug, 'first_fin', 10);
    await pledge(reached.slug, 'second_sol', 20);

    // The home page lists the campaigns their organisers chose to list.
    const visitor = await person();
    await visitor.goto(`${chorus.url}/`);
    await expect.poll(() => visitor.getByRole('link', { name: 'Our Health Heroes' }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await visitor.getByRole('link', { name: 'Called off' }).count()).toBe(0);
    await inspect(visitor, 'home');

    // The campaign page, collecting: progress and the Support button on the first screen, above the image.
    await visitor.goto(`${chorus.url}/c/${open.slug}`);
    expect(await onFirstScreen(visitor, '#goal-progress')).toBe(true);
    expect(await onFirstScreen(visitor, 'a.button:has-text("Support with X")')).toBe(true);
    expect(await visitor.locator('.headline-figure').textContent()).toMatch(/^4 of 100 supporters$/);
    expect(await visitor.locator('.figures').textContent()).toContain('5,850');
    // Named supporters only, largest reach first, each with their initials.
    expect(await visitor.locator('#top-heading + p + ol .person-name').allTextContents()).toEqual(['nurse_nia', 'medic_mo', 'cleaner_cal']);
    expect(await visitor.locator('#top-heading + p + ol .avatar').first().textContent()).toBe('NN');
    expect(await visitor.locator('body').textContent()).not.toContain('shy_sam');
    await inspect(visitor, 'campaign-collecting');

    // A German reader sees the numbers as German writes them.
    const reader = await journey.person({ phone: true, timezoneId: 'Europe/Berlin', locale: 'de-DE' });
    await reader.goto(`${chorus.url}/c/${open.slug}`);
    await expect.poll(() => reader.locator('.figures').textContent()).toContain('5.850');
    await expect.poll(() => reader.locator('[data-local-time]').textContent()).toContain('in your time zone (Europe/Berlin)');

    await visitor.goto(`${chorus.url}/c/${reached.slug}`);
    await expect.poll(() => visitor.locator('.phase-headline').textContent()).toMatch(/^Goal reached: launching in \d+ days?, \d+ hrs?$/);
    expect(await onFirstScreen(visitor, 'a.button:has-text("Support with X")')).toBe(true);
    await inspect(visitor, 'campaign-goal-reached');

    // A supporter on a phone in the campaign's own zone: the review page shows the time once.
    const supporter = await person('Europe/London');
    await supporter.goto(`${chorus.url}/c/${open.slug}`);
    await supporter.getByRole('link', { name: 'Support with X' }).click();
    await supporter.getByLabel('Username').fill('porter_paz');
    await supporter.getByLabel('Followers').fill('640');
    await supporter.getByRole('button', { name: 'Authorize app' }).click();
    await expect.poll(() => supporter.getByRole('heading', { name: 'Check your post' }).isVisible()).toBe(true);
    expect(await onFirstScreen(supporter, '#chosen-post')).toBe(true);
    expect(await onFirstScreen(supporter, 'button:has-text("Confirm my pledge")')).toBe(true);
    expect(await supporter.locator('[data-local-time]').isHidden()).toBe(true);
    // The own-words box appears only when chosen; the counter counts the chosen wording.
    expect(await supporter.getByLabel('Your own words').isVisible()).toBe(false);
    const message = (await supporter.locator('#chosen-post').textContent()) ?? '';
    await expect.poll(() => supporter.locator('#text-counter').textContent()).toMatch(/^\d+ of 280 characters, as X counts them$/);
    const counted = (await supporter.locator('#text-counter').textContent()) ?? '';
    await supporter.locator('label[for="choice-variant-0"]').click();
    await expect
      .poll(() => supporter.locator('#chosen-post').textContent())
      .toContain("Let's talk about the healthcare support workforce!");
    await expect.poll(() => supporter.locator('#text-counter').textContent()).not.toBe(counted);
    await supporter.getByText('Write it in my own words').click();
    expect(await supporter.getByLabel('Your own words').inputValue()).toContain("Let's talk about");
    const ownWords = `Porters carried my dad through the worst week. Thank you! https://example.org/ourhealthheroes #OurHealthHeroes`;
    await supporter.getByLabel('Your own words').fill(ownWords);
    await expect.poll(() => supporter.locator('#chosen-post').textContent()).toBe(ownWords);
    await expect.poll(() => supporter.locator('#text-counter').textContent()).toMatch(/^9\d of 280 characters/);
    expect(message).not.toBe(ownWords);
    await inspect(supporter, 'review');
    await supporter.getByRole('button', { name: 'Confirm my pledge' }).click();

    // The confirmation: the calendar file for the launch, and sharing.
    await expect.poll(() => supporter.locator('#pledged-text').textContent()).toBe(ownWords);
    const calendarHref = (await supporter.getByRole('link', { name: /Add the launch to your calendar/ }).getAttribute('href')) ?? '';
    const calendar = await supporter.request.get(`${chorus.url}${calendarHref}`);
    expect(calendar.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(await calendar.text()).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
    expect(await supporter.locator('#campaign-link').getAttribute('href')).toBe(`${chorus.url}/c/${open.slug}`);
    expect(await supporter.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    await inspect(supporter, 'confirmation');

    // The private page before launch, seen from Paris: the launch time in the reader's zone as well.
    const manageUrl = (await supporter.locator('#manage-link').getAttribute('href')) ?? '';
    const traveller = await person('Europe/Paris');
    await traveller.goto(manageUrl);
    await expect.poll(() => traveller.locator('[data-local-time]').textContent()).toContain('in your time zone (Europe/Paris)');
    expect(await traveller.getByRole('button', { name: 'Withdraw my pledge' }).isVisible()).toBe(true);
    await inspect(traveller, 'manage-before-launch');

    // The ended campaigns.
    const stateOf = async (slug: string) =>
      (await organiser.json<{ state: string }>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body.state;
    await expect.poll(() => stateOf(launching.slug), { timeout: 40_000, interval: 500 }).toBe('launched');
    await expect.poll(() => stateOf(missed.slug), { timeout: 40_000, interval: 500 }).toBe('missed_goal');

    await visitor.goto(`${chorus.url}/c/${launching.slug}`);
    await expect.poll(() => visitor.locator('.phase-headline').textContent()).toBe('Launched');
    expect(await visitor.getByRole('link', { name: 'porter_pat on X' }).getAttribute('href')).toMatch(
      /^https:\/\/x\.com\/porter_pat\/status\/\w+$/,
    );
    expect(await visitor.locator('body').textContent()).not.toContain('quiet_quinn');
    expect(await onFirstScreen(visitor, '#goal-progress')).toBe(true);
    await inspect(visitor, 'campaign-launched');

    await visitor.goto(`${chorus.url}/p/${named.body.id}?key=${encodeURIComponent(named.body.manageToken ?? '')}`);
    expect(await visitor.locator('.notice').textContent()).toContain('Your post went out from @porter_pat');
    expect(await visitor.getByRole('link', { name: 'See your post on X' }).getAttribute('href')).toMatch(
      /^https:\/\/x\.com\/porter_pat\/status\//,
    );
    await inspect(visitor, 'manage-after-launch');

    await visitor.goto(`${chorus.url}/c/${missed.slug}`);
    await expect.poll(() => visitor.locator('.phase-headline').textContent()).toBe('Goal missed');
    await inspect(visitor, 'campaign-missed');
    await visitor.goto(`${chorus.url}/c/${cancelled.slug}`);
    expect(await visitor.locator('.phase-headline').textContent()).toBe('Cancelled');
    await inspect(visitor, 'campaign-cancelled');

    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
    expect(journey.audited.size).toBe(20);
    expect(journey.cspProblems).toEqual([]);
  }, 180_000);
});
