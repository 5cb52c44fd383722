import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

describe('the embeddable widget and oEmbed', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let visitor: InjectBrowser;
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url, 'Skills for Health');
    visitor = new InjectBrowser(chorus.app);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 50 }),
    });
    expect(created.status).toBe(201);
    campaign = created.body;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('the widget may be framed by any site, and only it: the campaign page still refuses framing', async () => {
    const widget = await visitor.request(`${chorus.url}/c/${campaign.slug}/embed`, { headers: html });
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(widget.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
    expect(widget.headers.get('x-frame-options')).toBeNull();
    const page = await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html });
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const review = await visitor.request(`${chorus.url}/c/${campaign.slug}/support/x`, { headers: html });
    expect(review.headers.get('content-security-policy') ?? "frame-ancestors 'none'").toContain("frame-ancestors 'none'");
  });

  it('shows the progress and a Support button that opens the campaign in a new tab', async () => {
    const widget = await (await visitor.request(`${chorus.url}/c/${campaign.slug}/embed`, { headers: html })).text();
    expect(widget).toMatch(/<strong data-supporters>0<\/strong> of 50 supporters/);
    expect(widget).toContain('<progress max="50" value="0"');
    expect(widget).toContain(
      `<a class="widget-button" href="${chorus.url}/c/${campaign.slug}" target="_blank" rel="noopener">Support this campaign`,
    );
    expect(widget).not.toContain('<form');
    expect((await visitor.request(`${chorus.url}/c/no-such-campaign/embed`, { headers: html })).status).toBe(404);
  });

  it('the campaign page links its oEmbed endpoint', async () => {
    const page = await (await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
    const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const discovered = new URL(href);
    expect(discovered.pathname).toBe('/oembed');
    expect(discovered.searchParams.get('url')).toBe(`${chorus.url}/c/${campaign.slug}`);
    expect(discovered.searchParams.get('format')).toBe('json');
    expect((await visitor.json(href)).status).toBe(200);
  });

  it('answers a rich oEmbed response with every field the spec requires', async () => {
    const answer = await visitor.json(
      `${chorus.url}/oembed?${new URLSearchParams({ url: `${chorus.url}/c/${campaign.slug}`, format: 'json' }).toString()}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const body = answer.body;
    // oEmbed 1.0, 2.3.4: version and type always; html, width and height for type rich.
    expect(body.version).toBe('1.0');
    expect(body.type).toBe('rich');
    expect(Number.isInteger(body.width) && Number.isInteger(body.height)).toBe(true);
    expect(body.html).toBe(
      `<iframe src="${chorus.url}/c/${campaign.slug}/embed" title="Chorus campaign: Our Health Heroes" width="${String(body.width)}" height="${String(body.height)}" style="border:0;max-width:100%" loading="lazy"></iframe>`,
    );
    expect(body).toMatchObject({
      title: 'Our Health Heroes',
      author_name: 'Skills for Health',
      provider_name: 'Chorus',
      thumbnail_width: 1200,
      thumbnail_height: 630,
    });
    expect(String(body.thumbnail_url)).toMatch(new RegExp(`^${chorus.url}/c/${campaign.slug}/share-image\\.png\\?v=`));
  });

  it('stays within maxwidth and maxheight, leaving out a thumbnail that would not fit', async () => {
    const answer = await visitor.json(
      `${chorus.url}/oembed?${new URLSearchParams({ url: `${chorus.url}/c/${campaign.slug}`, maxwidth: '300', maxheight: '600' }).toString()}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.width).toBe(300);
    expect(Number(answer.body.height)).toBeLessThanOrEqual(600);
    expect(answer.body).not.toHaveProperty('thumbnail_url');
    expect(answer.body).not.toHaveProperty('thumbnail_width');
  });

  it('takes the short link too, and answers 404 for other addresses, 501 for XML', async () => {
    const dashboard = await (await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}`, { headers: html })).text();
    const shortUrl = /id="share-tools-short-link" type="text" readonly value="([^"]+)"/.exec(dashboard)?.[1] ?? '';
    expect(shortUrl).toMatch(new RegExp(`^${chorus.url}/s/[A-Za-z0-9]{6}$`));
    const short = await visitor.json<{ title: string }>(`${chorus.url}/oembed?${new URLSearchParams({ url: shortUrl }).toString()}`);
    expect(short.status).toBe(200);
    expect(short.body.title).toBe('Our Health Heroes');
    const ask = (params: Record<string, string>) => visitor.json(`${chorus.url}/oembed?${new URLSearchParams(params).toString()}`);
    expect((await ask({ url: `https://elsewhere.example/c/${campaign.slug}` })).status).toBe(404);
    expect((await ask({ url: `${chorus.url}/organiser/campaigns/${campaign.id}` })).status).toBe(404);
    expect((await ask({ url: `${chorus.url}/c/no-such-campaign` })).status).toBe(404);
    expect((await ask({ url: `${chorus.url}/c/${campaign.slug}`, format: 'xml' })).status).toBe(501);
    expect((await ask({})).status).toBe(400);
  });
});
