import { createServer, type Server } from 'node:http';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { signUpOnPage } from '../support/journey-steps.ts';
import { freePort } from '../support/free-port.ts';
import { pngSize } from '../support/png-header.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

const widths = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

/** Screenshots the page at 390 and 1280 pixels wide into test/artifacts/, and says whether it is wider than the screen at either. */
async function screenshotBoth(page: Page, name: string): Promise<string[]> {
  const overflowing: string[] = [];
  for (const [label, size] of Object.entries(widths)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: new URL(`${name}-${label}.png`, artifacts).pathname, fullPage: true });
    const wider = await page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');
    if (wider) overflowing.push(`${name} at ${size.width}`);
  }
  await page.setViewportSize(widths.desktop);
  return overflowing;
}

describe('sharing a campaign in a browser', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;
  let otherSite: Server;
  let otherOrigin: string;
  let framed = '';

  beforeAll(async () => {
    chorus = await startTestChorus();
    journey = await startBrowserJourney();
    // A second local origin: a site of someone else that frames Chorus's pages.
    const port = await freePort();
    otherOrigin = `http://127.0.0.1:${port}`;
    otherSite = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(framed);
    });
    await new Promise<void>((resolve) => otherSite.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => otherSite.close(resolve));
    await journey.close();
    await chorus.close();
  });

  it('an organiser creates a campaign and is shown how to share it; a supporter shares a suggested post; another site embeds the widget', async () => {
    const organiser = await journey.person();
    await signUpOnPage(organiser, chorus.url);
    await organiser.goto(`${chorus.url}/organiser/campaigns/new`);
    const link = 'https://example.org/ourhealthheroes';
    await organiser.getByLabel('Title').fill('Our Health Heroes');
    await organiser.getByLabel('Campaign link').fill(link);
    await organiser.getByLabel('The message').fill(`Thank you to the healthcare support workers! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Goal (supporters)').fill('100');
    await organiser.getByLabel('Time zone').selectOption('Europe/London');
    await organiser
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ days: 3 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    await organiser.getByRole('button', { name: 'Create campaign' }).click();

    // The "ready" step: the short link, its QR code and the widget's code.
    await expect.poll(() => organiser.getByRole('heading', { name: 'Your campaign is ready: share this link' }).isVisible()).toBe(true);
    const shortUrl = (await organiser.locator('.share-link a').textContent()) ?? '';
    expect(shortUrl).toMatch(new RegExp(`^${chorus.url}/s/[A-Za-z0-9]{6}$`));
    const qr = organiser.getByRole('img', { name: `QR code of the short link ${shortUrl}` });
    await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const snippet = await organiser.getByLabel('Widget for your website').inputValue();
    const embedUrl = /src="([^"]+)"/.exec(snippet)?.[1] ?? '';
    const slug = /\/c\/([^/]+)\/embed$/.exec(embedUrl)?.[1] ?? '';
    expect(slug).not.toBe('');
    await journey.audit(organiser, 'campaign ready to share');
    const overflowing = await screenshotBoth(organiser, 'share-ready');

    // The organiser suggests a post for people to share by hand.
    await organiser.getByRole('link', { name: 'Suggested posts' }).click();
    const suggestion = 'Healthcare support workers are 40% of the UK health workforce. Say thank you! #OurHealthHeroes';
    await organiser.getByLabel('A new suggested post').fill(suggestion);
    await organiser.getByRole('button', { name: 'Add the post' }).click();
    await expect.poll(() => organiser.getByText('The post is added').isVisible()).toBe(true);
    await journey.audit(organiser, 'share kit');
    overflowing.push(...(await screenshotBoth(organiser, 'share-kit')));

    // A visitor shares it: X's link carries the text and the short link; Mastodon's is built for their instance.
    const visitor = await journey.person();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the campaign page is kept for a second
    await visitor.goto(`${chorus.url}/c/${slug}`);
    const shared = `${suggestion} ${shortUrl}`;
    const xLink = new URL((await visitor.getByRole('link', { name: 'Share on X (opens in a new tab)' }).getAttribute('href')) ?? '');
    expect(xLink.searchParams.get('text')).toBe(shared);
    // The instance is someone else's server: the browser is given an answer for it, and the address it asked for is kept.
    let mastodonRequest = '';
    await visitor.context().route('https://mastodon.example/**', (route) => {
      mastodonRequest = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Mastodon</title>' });
    });
    await visitor.getByLabel('Mastodon instance to share on').fill('https://mastodon.example/');
    const [mastodon] = await Promise.all([
      visitor.context().waitForEvent('page'),
      visitor.getByRole('button', { name: 'Share on Mastodon (opens in a new tab)' }).click(),
    ]);
    await expect.poll(() => mastodonRequest).not.toBe('');
    const mastodonUrl = new URL(mastodonRequest);
    expect(mastodonUrl.origin + mastodonUrl.pathname).toBe('https://mastodon.example/share');
    expect(mastodonUrl.searchParams.get('text')).toBe(shared);
    await mastodon.close();
    await journey.audit(visitor, 'campaign page with the share kit');
    overflowing.push(...(await screenshotBoth(visitor, 'share-campaign-page')));

    // Its link preview: the share image is a 1200 × 630 PNG; its oEmbed answer is a rich one.
    const preview = await visitor.request.get((await visitor.locator('meta[property="og:image"]').getAttribute('content')) ?? '');
    expect(pngSize(await preview.body())).toEqual({ width: 1200, height: 630 });
    const oembed = await visitor.request.get((await visitor.locator('link[type="application/json+oembed"]').getAttribute('href')) ?? '');
    const answer = (await oembed.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ version: '1.0', type: 'rich', html: snippet, width: 400, height: 260 });

    // Another site frames the widget (allowed) and the campaign page (refused by its frame-ancestors).
    framed = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A friendly site</title></head><body>
      <h1>News from a friendly site</h1>${snippet}
      <iframe id="page" src="${chorus.url}/c/${slug}" title="The campaign page, framed" width="400" height="200" style="max-width:100%"></iframe></body></html>`;
    const site = await journey.person();
    await site.goto(otherOrigin);
    const widget = site.frameLocator(`iframe[src="${embedUrl}"]`);
    await expect.poll(() => widget.locator('.widget-figures').textContent()).toMatch(/0\s+of 100 supporters · 0% of goal/);
    expect(await widget.getByRole('link', { name: 'Support this campaign (opens in a new tab)' }).getAttribute('target')).toBe('_blank');
    // The campaign page in the other frame is refused: Chromium shows its error page instead of the campaign.
    const pageFrame = await (await site.locator('#page').elementHandle()).contentFrame();
    await expect.poll(() => pageFrame?.url()).toBe('chrome-error://chromewebdata/');
    const refusals = journey.cspProblems.filter((p) => p.includes("frame-ancestors 'none'"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain(`Framing '${chorus.url}/'`);
    expect(journey.cspProblems.filter((p) => !p.includes("frame-ancestors 'none'"))).toEqual([]);
    overflowing.push(...(await screenshotBoth(site, 'share-widget-framed')));

    const own = await journey.person();
    await own.goto(embedUrl);
    await journey.audit(own, 'widget');
    overflowing.push(...(await screenshotBoth(own, 'share-widget')));

    expect(overflowing).toEqual([]);
    expect(Object.fromEntries([...journey.audited].filter(([, found]) => found.length > 0))).toEqual({});
  }, 120_000);
});
