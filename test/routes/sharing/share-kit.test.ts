import { Resvg } from '@resvg/resvg-js';
import jsQRModule from 'jsqr';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitConsent } from '../../networks/x/x-sandbox-consent-driver.ts';
import { decodeHtml, htmlForms } from '../../support/html-forms.ts';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../../support/organiser.ts';
import { pngSize } from '../../support/png-header.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };
// jsqr is CommonJS whose types declare an ES default export: under Node the import is the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
type Post = { id: string; text: string };

describe('the share kit: suggested posts, share links, the QR code and the "ready" step', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let stranger: InjectBrowser;
  let visitor: InjectBrowser;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url);
    stranger = await signUpIn(new InjectBrowser(chorus.app), chorus.url, 'Someone else');
    visitor = new InjectBrowser(chorus.app);
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function openCampaign() {
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    return created.body;
  }
  const postsUrl = (id: string) => `${chorus.url}/api/v1/campaigns/${id}/suggested-posts`;
  const storedPosts = (campaignId: string) =>
    chorus.ctx.db.selectFrom('suggested_posts').select('body').where('campaign_id', '=', campaignId).orderBy('created_at').execute();

  it('the API adds, lists, rewrites and deletes suggested posts, for their organiser only', async () => {
    const campaign = await openCampaign();
    const added = await organiser.json<Post>(postsUrl(campaign.id), {
      json: { text: 'Have you seen this wonderful support workforce video? #OurHealthHeroes' },
    });
    expect(added.status).toBe(201);
    const second = await organiser.json<Post>(postsUrl(campaign.id), {
      json: { text: 'Support workers are 40% of the UK health workforce' },
    });
    expect(second.status).toBe(201);
    const listed = await organiser.json<Post[]>(postsUrl(campaign.id));
    expect(listed.body.map((p) => p.text)).toEqual([
      'Have you seen this wonderful support workforce video? #OurHealthHeroes',
      'Support workers are 40% of the UK health workforce',
    ]);
    const rewritten = await organiser.json<Post>(`${postsUrl(campaign.id)}/${added.body.id}`, {
      method: 'PUT',
      json: { text: 'Thank you, support workers! #OurHealthHeroes' },
    });
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.text).toBe('Thank you, support workers! #OurHealthHeroes');
    expect((await organiser.request(`${postsUrl(campaign.id)}/${second.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await storedPosts(campaign.id)).toEqual([{ body: 'Thank you, support workers! #OurHealthHeroes' }]);

    // Another organiser can neither see nor change them.
    expect((await stranger.json(postsUrl(campaign.id))).status).toBe(404);
    expect((await stranger.json(postsUrl(campaign.id), { json: { text: 'Mine now' } })).status).toBe(404);
    expect((await stranger.request(`${postsUrl(campaign.id)}/${added.body.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await visitor.json(postsUrl(campaign.id))).status).toBe(401);
    expect(await storedPosts(campaign.id)).toEqual([{ body: 'Thank you, support workers! #OurHealthHeroes' }]);
  });

  it("lets the organisation's viewers read the share kit and its QR code but not change it; each change is in the audit log", async () => {
    const campaign = await openCampaign();
    const organisationId = (await organiser.json<{ id: string }[]>(`${chorus.url}/api/v1/organisations`)).body[0]?.id ?? '';
    const invitation = await organiser.json<{ link: string }>(`${chorus.url}/api/v1/organisations/${organisationId}/invitations`, {
      json: { role: 'viewer' },
    });
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    const viewer = await signUpIn(new InjectBrowser(chorus.app), chorus.url, 'A viewer');
    expect((await viewer.json(`${chorus.url}/api/v1/invitations/acceptance`, { json: { token } })).status).toBe(201);
    const added = await organiser.json<Post>(postsUrl(campaign.id), { json: { text: 'Thank a porter today #OurHealthHeroes' } });
    expect(added.status).toBe(201);

    // A viewer: they read, and are refused every change (403), which changes nothing.
    expect((await viewer.json<Post[]>(postsUrl(campaign.id))).body.map((p) => p.id)).toEqual([added.body.id]);
    expect((await viewer.request(`${chorus.url}/organiser/campaigns/${campaign.id}/qr.svg`)).status).toBe(200);
    const page = await (await viewer.request(`${chorus.url}/organiser/campaigns/${campaign.id}/share-kit`, { headers: html })).text();
    expect(page).toContain('Thank a porter today #OurHealthHeroes');
    expect(page).toContain('You are a viewer');
    expect(htmlForms(page).filter((f) => f.action.includes('/share-kit'))).toEqual([]);
    expect((await viewer.json(postsUrl(campaign.id), { json: { text: 'Mine now' } })).status).toBe(403);
    expect((await viewer.json(`${postsUrl(campaign.id)}/${added.body.id}`, { method: 'PUT', json: { text: 'Mine now' } })).status).toBe(
      403,
    );
    expect((await viewer.request(`${postsUrl(campaign.id)}/${added.body.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(await storedPosts(campaign.id)).toEqual([{ body: 'Thank a porter today #OurHealthHeroes' }]);

    await organiser.json(`${postsUrl(campaign.id)}/${added.body.id}`, {
      method: 'PUT',
      json: { text: 'Thank a cleaner #OurHealthHeroes' },
    });
    await organiser.request(`${postsUrl(campaign.id)}/${added.body.id}`, { method: 'DELETE' });
    const log = await chorus.ctx.db
      .selectFrom('audit_entries')
      .select(['action', 'subject_id'])
      .where('campaign_id', '=', campaign.id)
      .where('action', 'like', 'campaign.suggested-post-%')
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      { action: 'campaign.suggested-post-added', subject_id: added.body.id },
      { action: 'campaign.suggested-post-changed', subject_id: added.body.id },
      { action: 'campaign.suggested-post-deleted', subject_id: added.body.id },
    ]);
  });

  it('refuses empty, too long or unstorable text and a 21st post, naming the field and changing nothing', async () => {
    const campaign = await openCampaign();
    for (const text of ['', 'x'.repeat(1001), 'a NUL \u0000 here', 'a lone surrogate \ud800']) {
      const refused = await organiser.json<{ field?: string }>(postsUrl(campaign.id), { json: { text } });
      expect(refused.status).toBe(400);
      expect(refused.body.field).toBe('text');
    }
    expect((await organiser.json(postsUrl(campaign.id), { json: { text: '   ' } })).status).toBe(400);
    for (let i = 1; i <= 20; i++)
      expect((await organiser.json(postsUrl(campaign.id), { json: { text: `Post number ${i}` } })).status).toBe(201);
    const full = await organiser.json<{ message: string }>(postsUrl(campaign.id), { json: { text: 'One too many' } });
    expect(full.status).toBe(409);
    expect(full.body.message).toContain('at most 20');
    expect(await storedPosts(campaign.id)).toHaveLength(20);
  });

  it('the campaign page offers each suggested post through links that carry its text and the short link', async () => {
    const campaign = await openCampaign();
    const text = 'Healthcare Support Workers make up 40% of the UK health sector workforce #OurHealthHeroes';
    expect((await organiser.json(postsUrl(campaign.id), { json: { text } })).status).toBe(201);
    // The page is kept for a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const page = await (await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
    const shortUrl = decodeHtml(/data-short-link>([^<]+)</.exec(page)?.[1] ?? '');
    expect(shortUrl).toMatch(new RegExp(`^${chorus.url}/s/[A-Za-z0-9]{6}$`));
    const shared = `${text} ${shortUrl}`;
    const links = Object.fromEntries(
      [...page.matchAll(/<a href="([^"]+)" rel="noopener noreferrer" target="_blank" data-share-target="([a-z]+)"/g)].map(
        ([, href = '', target = '']) => [target, new URL(decodeHtml(href))],
      ),
    );
    expect(Object.keys(links).sort()).toEqual(['bluesky', 'email', 'facebook', 'linkedin', 'whatsapp', 'x']);
    expect(`${links.x?.origin ?? ''}${links.x?.pathname ?? ''}`).toBe('https://x.com/intent/post');
    expect(links.x?.searchParams.get('text')).toBe(shared);
    expect(`${links.bluesky?.origin ?? ''}${links.bluesky?.pathname ?? ''}`).toBe('https://bsky.app/intent/compose');
    expect(links.bluesky?.searchParams.get('text')).toBe(shared);
    expect(links.linkedin?.searchParams.get('text')).toBe(shared);
    expect(links.whatsapp?.origin).toBe('https://wa.me');
    expect(links.whatsapp?.searchParams.get('text')).toBe(shared);
    expect(links.facebook?.searchParams.get('u')).toBe(shortUrl);
    expect(links.email?.protocol).toBe('mailto:');
    expect(new URLSearchParams(links.email?.search).get('body')).toBe(shared);
    // Mastodon's is built in the browser from the instance the person names: the button carries the text.
    expect(page).toContain(`data-share-mastodon="${shared.replaceAll('&', '&amp;')}"`);
    expect(page).toContain('<script src="/static/share-links.js" defer></script>');
  });

  it("the confirmation page offers the suggested posts too, after the supporter's pledge", async () => {
    const campaign = await openCampaign();
    const text = 'I just backed #OurHealthHeroes: will you?';
    expect((await organiser.json(postsUrl(campaign.id), { json: { text } })).status).toBe(201);
    const supporter = new InjectBrowser(chorus.app);
    const connect = await supporter.request(`${chorus.url}/c/${campaign.slug}/support/x`, { headers: html });
    expect(connect.status).toBe(302);
    const callback = await submitConsent(connect.headers.get('location') ?? '', { username: 'sharing_sam', followers: '30' });
    expect((await supporter.request(callback, { headers: html })).headers.get('location')).toBe(`/c/${campaign.slug}/review`);
    const review = await (await supporter.request(`${chorus.url}/c/${campaign.slug}/review`, { headers: html })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(review)?.[1] ?? '';
    const confirmed = await supporter.request(`${chorus.url}/c/${campaign.slug}/review`, {
      headers: html,
      form: { _csrf: token, choice: 'message', text: '' },
    });
    expect(confirmed.status).toBe(201);
    const page = await confirmed.text();
    expect(page).toContain('Tell others: share the campaign');
    const xHref = decodeHtml(/<a href="([^"]+)" rel="noopener noreferrer" target="_blank" data-share-target="x"/.exec(page)?.[1] ?? '');
    expect(new URL(xHref).searchParams.get('text')).toMatch(
      new RegExp(`^I just backed #OurHealthHeroes: will you\\? ${chorus.url}/s/[A-Za-z0-9]{6}$`),
    );
  });

  it('the share kit page adds, saves and deletes posts through its forms, and puts a refusal beside the field', async () => {
    const campaign = await openCampaign();
    const kitUrl = `${chorus.url}/organiser/campaigns/${campaign.id}/share-kit`;
    const submit = async (formIndex: number, fields: Record<string, string>) => {
      const page = await (await organiser.request(kitUrl, { headers: html })).text();
      const form = htmlForms(page)[formIndex + 1]; // the first form is the header's sign-out
      if (form === undefined) throw new Error('no such form');
      const values = Object.fromEntries(Object.entries(form.fields).map(([name, v]) => [name, v[0] ?? '']));
      return organiser.request(new URL(form.action, chorus.url), { headers: html, form: { ...values, ...fields } });
    };
    const added = await submit(0, { text: 'Say thank you to a porter today #OurHealthHeroes' });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('The post is added');
    const refused = await submit(1, { text: 'bad \u0000 text' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/class="field-error" id="text-[0-9a-f-]+-error">.*cannot be stored or posted/s);
    expect(await storedPosts(campaign.id)).toEqual([{ body: 'Say thank you to a porter today #OurHealthHeroes' }]);
    expect((await submit(1, { text: 'Say thank you to a cleaner today #OurHealthHeroes' })).status).toBe(200);
    expect(await storedPosts(campaign.id)).toEqual([{ body: 'Say thank you to a cleaner today #OurHealthHeroes' }]);
    expect((await submit(2, {})).status).toBe(200);
    expect(await storedPosts(campaign.id)).toEqual([]);
    // Without the form's CSRF token nothing is added.
    const forged = await organiser.request(kitUrl, { headers: html, form: { text: 'Forged' } });
    expect(forged.status).toBe(403);
    expect(await storedPosts(campaign.id)).toEqual([]);
  });

  it('the QR code decodes to the short link (SVG), and the PNG is 1024 × 1024; only for the organiser', async () => {
    const campaign = await openCampaign();
    const dashboard = await (await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}`, { headers: html })).text();
    const shortUrl = decodeHtml(/id="share-tools-short-link" type="text" readonly value="([^"]+)"/.exec(dashboard)?.[1] ?? '');
    expect(dashboard).toContain(`<img src="/organiser/campaigns/${campaign.id}/qr.svg"`);
    expect(decodeHtml(/<textarea id="share-tools-widget"[^>]*>([^<]+)</.exec(dashboard)?.[1] ?? '')).toBe(
      `<iframe src="${chorus.url}/c/${campaign.slug}/embed" title="Chorus campaign: Our Health Heroes" width="400" height="260" style="border:0;max-width:100%" loading="lazy"></iframe>`,
    );

    const svg = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const rendered = new Resvg(await svg.text(), { fitTo: { mode: 'width', value: 400 } }).render();
    const decoded = jsQR(new Uint8ClampedArray(rendered.pixels), rendered.width, rendered.height);
    expect(decoded?.data).toBe(shortUrl);

    const png = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe(`inline; filename="chorus-${campaign.slug}-qr.png"`);
    expect(pngSize(new Uint8Array(await png.arrayBuffer()))).toEqual({ width: 1024, height: 1024 });

    expect((await stranger.request(`${chorus.url}/organiser/campaigns/${campaign.id}/qr.svg`)).status).toBe(404);
    expect((await visitor.request(`${chorus.url}/organiser/campaigns/${campaign.id}/qr.png`)).status).toBe(303);
  });

  it('creating a campaign through the form leads to the "ready: share this link" step', async () => {
    const form = await (await organiser.request(`${chorus.url}/organiser/campaigns/new`, { headers: html })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    // The new-campaign form is multipart (it carries the image), so its CSRF token travels in the query.
    const fields = new FormData();
    for (const [name, value] of Object.entries({
      title: 'Thank our porters',
      link: 'https://example.org/porters',
      message: 'Thank you, porters! https://example.org/porters #Porters',
      goal: '10',
      launchAt: DateTime.now().setZone('Europe/London').plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
      timeZone: 'Europe/London',
      networks: 'x',
      xMode: 'post',
      publish: 'yes',
    }))
      fields.append(name, value);
    const created = await organiser.upload(`${chorus.url}/organiser/campaigns?_csrf=${encodeURIComponent(token)}`, fields);
    expect(created.status).toBe(303);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/organiser\/campaigns\/[0-9a-f-]{36}\/ready$/);
    const ready = await (await organiser.request(new URL(location, chorus.url), { headers: html })).text();
    expect(ready).toContain('Your campaign is ready: share this link');
    expect(ready).toMatch(new RegExp(`<a href="${chorus.url}/s/[A-Za-z0-9]{6}">`));
    expect(ready).toContain('/qr.svg" alt="QR code of the short link');
    expect(ready).toContain('&lt;iframe src=&quot;');
  });
});
