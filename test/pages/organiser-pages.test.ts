import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { suspendOrganisation } from '../../src/use-cases/operators/suspend-organisation.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

/** The widths every organiser page is audited and photographed at: a phone and a desktop. */
const widths = [390, 1280] as const;
/** Widths where only the overflow is measured: the narrowest phone, and a 1280-pixel window at 200 % zoom. */
const narrowWidths = [320, 640] as const;

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('every organiser page, on a phone and a desktop', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;
  /** What stuck out of a page wider than its window, by page and width (a page that fits is not listed). */
  const overflowing: Record<string, string[]> = {};
  /** Focused controls that something else covered, by page and width (WCAG 2.4.11). */
  const obscured: Record<string, string[]> = {};

  beforeAll(async () => {
    // The open dashboard checks its access again every 2 s (10 s as installed), so the suspension at the end shows soon.
    chorus = await startTestChorus({ ownDatabase: true, env: { DASHBOARD_ACCESS_RECHECK_SECONDS: '2' } });
    await chorus.startWorkers();
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  // Tabs through the page and lists every focused control whose centre shows something else (or is off-screen).
  async function focusObscured(page: Page): Promise<string[]> {
    await page.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
    const found: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 150; i++) {
      await page.keyboard.press('Tab');
      const check = await page.evaluate<{ id: string; covered: boolean } | null>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const r = el.getBoundingClientRect();
        const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
        const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
        const top = document.elementFromPoint(x, y);
        const id = el.tagName + ' ' + (el.id || el.getAttribute('href') || el.getAttribute('name') || (el.textContent || '').trim().slice(0, 40));
        return { id, covered: !(top && (top === el || el.contains(top) || top.contains(el))) };
      })()`);
      if (check === null) break;
      if (seen.has(check.id)) break;
      seen.add(check.id);
      if (check.covered) found.push(check.id);
    }
    return found;
  }

  // Whether the page is wider than its window, once the page has laid itself out again at the new size (the chart
  // follows its box a frame later); the elements that stick out are named, innermost first.
  async function measureOverflow(page: Page, key: string) {
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))');
    const found = await page.evaluate<string[]>(`(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replaceAll(' ', '.') : '') + ' ' + Math.round(el.getBoundingClientRect().right));
    })()`);
    if (found.length > 0) overflowing[key] = found;
  }

  // Audits the page with axe, photographs it and tabs through it at a phone's and a desktop's width, and measures
  // its width at the narrow ones too; the window is left at the desktop width.
  async function checkPage(page: Page, name: string) {
    const file = name.replaceAll(/[^a-z0-9]+/gi, '-').toLowerCase();
    for (const width of narrowWidths) {
      await page.setViewportSize({ width, height: 800 });
      await measureOverflow(page, `${name} at ${width}`);
    }
    for (const width of widths) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await measureOverflow(page, `${name} at ${width}`);
      await journey.audit(page, `${name} at ${width}`);
      const covered = await focusObscured(page);
      if (covered.length > 0) obscured[`${name} at ${width}`] = covered;
      await page.screenshot({ path: new URL(`organiser-${file}-${width}.png`, artifacts).pathname, fullPage: true });
    }
  }

  it('signs up, creates a campaign with its image, follows it live to its launch, and every page fits, passes axe and keeps focus in view', async () => {
    const visitor = await journey.person();
    await visitor.goto(`${chorus.url}/organiser/sign-in`);
    await checkPage(visitor, 'sign in');
    await visitor.goto(`${chorus.url}/accessibility`);
    expect(await visitor.getByRole('heading', { name: 'Accessibility statement' }).isVisible()).toBe(true);
    await checkPage(visitor, 'accessibility statement');

    const organiser = await journey.person();
    await organiser.goto(`${chorus.url}/organiser/sign-up`);
    await checkPage(organiser, 'sign up');
    expect(await organiser.locator('footer a[href="/accessibility"]').textContent()).toBe('Accessibility statement');
    await organiser.getByLabel('Organisation name').fill('Skills for Health');
    await organiser.getByLabel('Email').fill(`organiser-${Date.now()}@example.org`);
    await organiser.getByLabel('Password').fill('correct horse battery');
    await organiser.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => organiser.getByRole('heading', { name: 'Your campaigns' }).isVisible()).toBe(true);
    await checkPage(organiser, 'campaign list empty');

    await organiser.getByRole('link', { name: 'Start a new campaign' }).click();
    await checkPage(organiser, 'new campaign');
    const link = 'https://example.org/ourhealthheroes';
    await organiser.getByLabel('Title').fill('Our Health Heroes');
    await organiser.getByLabel('Campaign link').fill(link);
    await organiser
      .getByLabel('The message')
      .fill(`Thank you to all the healthcare support workers across the UK! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Goal (supporters)').fill('2');
    await organiser.getByLabel('Time zone').selectOption('Europe/London');
    await organiser.getByLabel('Describe the image').fill('Porters and nurses waving outside a hospital');
    await organiser.getByLabel('Image file').setInputFiles({ name: 'heroes.png', mimeType: 'image/png', buffer: png });
    // Left without a launch time: the form comes back with the message beside the field, and asks for the file again.
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => organiser.locator('#launchAt-error').textContent()).toContain('Pick the launch date and time');
    expect(await organiser.locator('#image-error').textContent()).toContain('Choose the image file again');
    expect(await organiser.getByLabel('Describe the image').inputValue()).toBe('Porters and nurses waving outside a hospital');
    await checkPage(organiser, 'new campaign with errors');
    await organiser.getByLabel('Image file').setInputFiles({ name: 'heroes.png', mimeType: 'image/png', buffer: png });
    await organiser
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    // The "ready: share this link" step first, then the dashboard.
    await expect.poll(() => organiser.getByRole('link', { name: 'Go to the dashboard' }).isVisible()).toBe(true);
    await organiser.getByRole('link', { name: 'Go to the dashboard' }).click();
    await expect.poll(() => organiser.getByText('Reach dashboard').isVisible()).toBe(true);
    const dashboardUrl = organiser.url();

    // The chart: a time axis in the campaign's zone from its creation to its launch, and the goal as a line.
    await expect.poll(() => organiser.evaluate<string>(`window.Chart.getChart('reach-chart')?.options.scales.x.type ?? ''`)).toBe('time');
    const chart = await organiser.evaluate<{ zone: string; datasets: string[]; span: number; animated: boolean }>(`(() => {
      const chart = window.Chart.getChart('reach-chart');
      const x = chart.options.scales.x;
      return { zone: x.adapters.date.zone, datasets: chart.data.datasets.map((d) => d.label), span: x.max - x.min, animated: chart.options.animation !== false };
    })()`);
    expect(chart.zone).toBe('Europe/London');
    expect(chart.datasets).toEqual(['Supporters', 'Reach', 'Goal (supporters)']);
    expect(chart.span).toBeGreaterThan(59 * 60_000);
    expect(chart.animated).toBe(true);
    // "Live: updated" names the campaign's zone (GMT in London's winter, BST in summer), as the launch time does.
    await expect.poll(() => organiser.locator('#live-status').textContent()).toMatch(/^Live: updated \d\d:\d\d:\d\d (GMT|BST|UTC)/);
    await checkPage(organiser, 'dashboard before pledges');

    // The image arrived with the campaign.
    await organiser.goto(`${dashboardUrl}/edit`);
    expect(await organiser.locator('img.campaign-image').getAttribute('alt')).toBe('Porters and nurses waving outside a hospital');
    await checkPage(organiser, 'edit campaign');
    await organiser.goto(`${dashboardUrl}/preview`);
    await checkPage(organiser, 'launch preview');
    await organiser.goto(`${chorus.url}/organiser/account`);
    await checkPage(organiser, 'account');
    await organiser.goto(`${chorus.url}/organiser/account/two-factor`);
    await checkPage(organiser, 'two-factor set-up');
    await organiser.goto(`${chorus.url}/organiser/campaigns`);
    await checkPage(organiser, 'campaign list');

    // Pledges and short-link visits arrive live; numbers in the reader's locale (en-GB: 1,450).
    await organiser.goto(dashboardUrl);
    const slug = ((await organiser.getByRole('link', { name: 'Public page' }).getAttribute('href')) ?? '').slice(3);
    const shortUrl = (await organiser.locator('#dashboard a[href*="/s/"]').getAttribute('href')) ?? '';
    expect(await organiser.locator('[data-field="shortLinkVisits"]').textContent()).toBe('0');
    for (const [username, followers] of [
      ['nurse_nia', 1200],
      ['porter_pat', 250],
    ] as const)
      expect((await pledgeThroughConsent(chorus.url, slug, { username, followers })).status).toBe(201);
    await expect.poll(() => organiser.locator('#dashboard [data-field="reach"]').textContent()).toBe('1,450');
    // The supporter list (with its erase controls) follows too: the page fetches it again when the snapshot says so.
    await expect
      .poll(async () => (await organiser.locator('#supporters tbody th').allTextContents()).join(' '), { timeout: 10_000 })
      .toMatch(/porter_pat.*nurse_nia/);
    const visit = await fetch(new URL(shortUrl.replace(/^https?:\/\/[^/]+/, ''), chorus.url), { redirect: 'manual' });
    expect(visit.status).toBe(302);
    await expect.poll(() => organiser.locator('[data-field="shortLinkVisits"]').textContent()).toBe('1');
    await expect.poll(() => organiser.locator('[data-rows="networks"] td[data-label="Reach"]').first().textContent()).toBe('1,450');
    await checkPage(organiser, 'dashboard with pledges');

    // A reader who asks for less motion gets a chart that does not animate.
    const still = await organiser.context().newPage();
    await still.emulateMedia({ reducedMotion: 'reduce' });
    await still.goto(dashboardUrl);
    await expect.poll(() => still.evaluate<boolean>(`window.Chart.getChart('reach-chart')?.options.animation === false`)).toBe(true);
    await still.close();

    // The launch is brought forward; the open dashboard turns to the results, with no reload.
    const editLink = organiser.locator('#dashboard').getByRole('link', { name: 'Edit', exact: true });
    expect(await editLink.isVisible()).toBe(true);
    const xConnect = organiser.getByRole('link', { name: "Connect the campaign's X account" });
    expect(await xConnect.isVisible()).toBe(true);
    const launchLine = organiser.locator('#dashboard [data-field="launchTime"]');
    const launchBefore = await launchLine.textContent();
    const edit = await organiser.context().newPage();
    await edit.goto(`${dashboardUrl}/edit`);
    await edit
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ seconds: 6 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.locator('.notice').textContent()).toContain('Saved.');
    await edit.close();
    // The "Launches …" line follows the new time without a reload.
    await expect.poll(() => launchLine.textContent(), { timeout: 5000 }).not.toBe(launchBefore);
    await expect.poll(() => organiser.locator('[data-field="sent"]').textContent(), { timeout: 40_000 }).toBe('2');
    await expect.poll(() => organiser.locator('[data-field="outcome"]').textContent()).toContain('launched');
    expect(await editLink.isVisible()).toBe(false);
    expect(await xConnect.isVisible()).toBe(false);
    expect(await organiser.getByRole('button', { name: 'Cancel the campaign' }).isVisible()).toBe(false);
    // The results and the CSV come before the chart.
    const resultsFirst = await organiser.evaluate<boolean>(
      `!!(document.querySelector('[data-section="delivery"]').compareDocumentPosition(document.getElementById('reach-chart')) & Node.DOCUMENT_POSITION_FOLLOWING)`,
    );
    expect(resultsFirst).toBe(true);
    expect(await organiser.getByRole('link', { name: 'Download every result as CSV' }).isVisible()).toBe(true);
    await checkPage(organiser, 'dashboard after launch (live)');
    // On a phone each result is a card: its cells name their column.
    await organiser.setViewportSize({ width: 390, height: 844 });
    expect(await organiser.locator('[data-rows="results"] td[data-label="Result"]').first().isVisible()).toBe(true);
    await organiser.reload();
    await expect.poll(() => organiser.evaluate<boolean>(`window.Chart.getChart('reach-chart') !== undefined`)).toBe(true);
    await checkPage(organiser, 'dashboard after launch');

    // Its organisation suspended by the operators, the open dashboard says why in its live region and stops listening.
    const me = (await (await organiser.request.get(`${chorus.url}/api/v1/me`)).json()) as { id: string };
    const organisations = (await (await organiser.request.get(`${chorus.url}/api/v1/organisations`)).json()) as { id: string }[];
    const operator = { kind: 'organiser' as const, organiserId: me.id, clientIp: '127.0.0.1' };
    expect((await suspendOrganisation(chorus.ctx, operator, organisations[0]?.id ?? '', 'Reported for misleading campaigns.')).kind).toBe(
      'done',
    );
    await expect
      .poll(() => organiser.locator('#live-status').textContent(), { timeout: 10_000 })
      .toMatch(/^Live updates stopped: this organisation has been suspended/);

    expect(overflowing).toEqual({});
    expect(obscured).toEqual({});
    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
    expect(journey.audited.size).toBe(15 * widths.length);
    expect(journey.cspProblems).toEqual([]);
  }, 240_000);
});
