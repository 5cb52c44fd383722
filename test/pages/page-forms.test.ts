import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMastodonSandbox, type RunningMastodonSandbox } from '../../src/networks/mastodon/sandbox/mastodon-sandbox-server.ts';
import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

const html = { accept: 'text/html' };

/**
 * Sends the new-campaign form as a browser does: multipart (it carries the image), its CSRF token (`_csrf` among the
 * fields) in the query.
 */
function postNewCampaign(browser: Browser, fields: Record<string, string | string[]>, image?: { bytes: Buffer; name: string }) {
  const { _csrf: token = '', ...rest } = fields;
  const body = new FormData();
  for (const [name, value] of Object.entries(rest)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  if (image !== undefined) body.append('image', new Blob([image.bytes]), image.name);
  return browser.upload(`${chorusUrl}/organiser/campaigns?_csrf=${encodeURIComponent(String(token))}`, body);
}
let chorusUrl = '';

/** The CSRF token of the first form on a page. */
async function pageWithToken(browser: Browser, url: string): Promise<{ status: number; html: string; token: string }> {
  const response = await browser.request(url, { headers: html });
  const text = await response.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
  return { status: response.status, html: text, token };
}

describe('organiser forms', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus();
    chorusUrl = chorus.url;
  });
  afterAll(async () => {
    await chorus.close();
  });

  const campaignCount = async () =>
    (
      await chorus.ctx.db
        .selectFrom('campaigns')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('re-renders the new-campaign form with messages beside the fields and the input kept, creating nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    expect(form.status).toBe(200);
    const before = await campaignCount();

    const response = await postNewCampaign(organiser, {
      _csrf: form.token,
      title: 'Thank our porters',
      link: 'not a link',
      message: 'Thank you, porters!',
      goal: 'lots',
      launchAt: '',
      timeZone: 'Europe/London',
      networks: 'x',
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toContain('There is a problem');
    expect(page).toMatch(/id="link-error">.*Give the campaign link, starting with https:\/\//s);
    expect(page).toMatch(/id="goal-error">.*Give the goal as a whole number/s);
    expect(page).toContain('value="Thank our porters"');
    expect(page).toContain('Thank you, porters!</textarea>');
    expect(page).toContain('<option value="Europe/London" selected>');
    expect(await campaignCount()).toBe(before);
  });

  it('takes the image and its description on the new-campaign form; a refused image or description creates nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toContain('<label for="image">Image file</label>');
    expect(form.html).toContain('<label for="imageAlt">Describe the image</label>');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const fields = {
      _csrf: form.token,
      title: 'Thank our cleaners',
      link: 'https://example.org/porters',
      message: 'Thank you, porters! https://example.org/porters #Porters',
      goal: '10',
      launchAt: DateTime.now().setZone('Europe/London').plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
      timeZone: 'Europe/London',
      networks: 'x',
      publish: 'yes',
    };
    const before = await campaignCount();

    const notAnImage = await postNewCampaign(
      organiser,
      { ...fields, imageAlt: 'Porters waving' },
      { bytes: Buffer.from('GIF89a'), name: 'a.gif' },
    );
    expect(notAnImage.status).toBe(400);
    expect(await notAnImage.text()).toMatch(/id="image-error">.*not a PNG, JPEG or WebP image/s);
    const noDescription = await postNewCampaign(organiser, fields, { bytes: png, name: 'a.png' });
    const noDescriptionPage = await noDescription.text();
    expect(noDescription.status).toBe(400);
    expect(noDescriptionPage).toMatch(/id="imageAlt-error">.*Describe the image for people who cannot see it/s);
    // A file cannot be kept in a form that comes back: the page says to choose it again.
    const otherError = await postNewCampaign(
      organiser,
      { ...fields, goal: 'lots', imageAlt: 'Porters waving' },
      { bytes: png, name: 'a.png' },
    );
    const otherErrorPage = await otherError.text();
    expect(otherError.status).toBe(400);
    expect(otherErrorPage).toMatch(/id="image-error">.*Choose the image file again/s);
    expect(otherErrorPage).toContain('value="Porters waving"');
    expect(await campaignCount()).toBe(before);

    const created = await postNewCampaign(organiser, { ...fields, imageAlt: 'Porters waving' }, { bytes: png, name: 'a.png' });
    expect(created.status).toBe(303);
    // The form leads to the campaign's "ready" step: /organiser/campaigns/:id/ready.
    const id = /\/organiser\/campaigns\/([0-9a-f-]{36})\/ready$/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .innerJoin('campaign_images', 'campaign_images.campaign_id', 'campaigns.id')
      .select(['campaign_images.content_type', 'campaigns.image_alt', 'campaigns.state'])
      .where('campaigns.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ content_type: 'image/png', image_alt: 'Porters waving', state: 'collecting' });

    // Without a file or a description: a campaign without an image, as before.
    const plain = await postNewCampaign(organiser, { ...fields, slug: 'thank-our-cleaners-again' });
    expect(plain.status).toBe(303);
    // Not the form at all (its token in the query, as the form sends it): refused, nothing created.
    const asUrlencoded = await organiser.request(`${chorus.url}/organiser/campaigns?_csrf=${encodeURIComponent(form.token)}`, {
      headers: html,
      form: fields,
    });
    expect(asUrlencoded.status).toBe(400);
    expect(await campaignCount()).toBe(before + 2);
  });

  it('places a rule the campaign breaks (a launch too far ahead) beside its field', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    const before = await campaignCount();
    const response = await postNewCampaign(organiser, {
      _csrf: form.token,
      title: 'Thank our porters',
      link: 'https://example.org/porters',
      message: 'Thank you, porters! #Porters',
      goal: '10',
      launchAt: '2099-01-01T09:00',
      timeZone: 'Europe/London',
      networks: 'x',
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toMatch(/id="launchAt-error">.*at most 60 days away/s);
    expect(page).toContain('value="https://example.org/porters"');
    expect(await campaignCount()).toBe(before);
  });

  it('refuses a form sent without its CSRF token, changing nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; goal: number }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 3 }),
    });
    expect(created.status).toBe(201);
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, {
      headers: html,
      form: { goal: '50' },
    });
    expect(response.status).toBe(403);
    const forged = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, {
      headers: html,
      form: { goal: '50', _csrf: 'forged' },
    });
    expect(forged.status).toBe(403);
    const row = await chorus.ctx.db.selectFrom('campaigns').select('goal').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.goal).toBe(3);
  });

  it('will not lower the goal once supporters are pledging, and says so beside the field', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 5 }) });
    const dashboard = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/${created.body.id}`);
    expect(dashboard.status).toBe(200);
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${created.body.id}/goal`, {
      headers: html,
      form: { _csrf: dashboard.token, goal: '2' },
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toMatch(/id="goal-error">.*The goal can only be raised \(it is 5\)/s);
    expect(page).toContain('value="2"');
    const row = await chorus.ctx.db.selectFrom('campaigns').select('goal').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.goal).toBe(5);
  });

  it('refuses an upload that is not an image, keeping the campaign as it was', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const edit = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/${created.body.id}/edit`);
    const token = /image\?_csrf=([^"]+)"/.exec(edit.html)?.[1] ?? '';
    const body = new FormData();
    body.set('imageAlt', 'A poster');
    body.set('image', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), 'poster.png');
    const response = await organiser.upload(`${chorus.url}/organiser/campaigns/${created.body.id}/image?_csrf=${token}`, body);
    expect(response.status).toBe(415);
    expect(await response.text()).toMatch(/id="image-error">.*not a PNG, JPEG or WebP image/s);
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .leftJoin('campaign_images', 'campaign_images.campaign_id', 'campaigns.id')
      .select(['campaign_images.sha256', 'campaigns.image_alt'])
      .where('campaigns.id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sha256: null, image_alt: '' });
  });

  it('offers repost mode only with X: chosen without X it comes back beside its field, with X it is saved and can be changed on edit', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const form = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/new`);
    const fields = {
      _csrf: form.token,
      title: 'Thank our porters',
      link: 'https://example.org/porters',
      message: 'Thank you, porters! https://example.org/porters #Porters',
      goal: '10',
      launchAt: DateTime.now().setZone('Europe/London').plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
      timeZone: 'Europe/London',
      xMode: 'repost',
    };
    const before = await campaignCount();
    const refused = await postNewCampaign(organiser, { ...fields, networks: 'mastodon' });
    const page = await refused.text();
    expect(refused.status).toBe(400);
    expect(page).toMatch(/id="xMode-error">.*Repost mode is for campaigns that post to X\./s);
    expect(page).toMatch(/id="xMode-repost" name="xMode" value="repost"[^>]* checked/);
    expect(await campaignCount()).toBe(before);

    const created = await postNewCampaign(organiser, { ...fields, networks: ['x', 'mastodon'] });
    expect(created.status).toBe(303);
    // The create form leads to the "ready to share" step: /organiser/campaigns/:id/ready.
    const id = (created.headers.get('location') ?? '').split('/').at(-2) ?? '';
    const mode = async () =>
      (await chorus.ctx.db.selectFrom('campaigns').select('x_mode').where('id', '=', id).executeTakeFirstOrThrow()).x_mode;
    expect(await mode()).toBe('repost');

    const edit = await pageWithToken(organiser, `${chorus.url}/organiser/campaigns/${id}/edit`);
    expect(edit.html).toMatch(/id="xMode-repost" name="xMode" value="repost"[^>]* checked/);
    const saved = await organiser.request(`${chorus.url}/organiser/campaigns/${id}/edit`, {
      headers: html,
      form: { ...fields, _csrf: edit.token, xMode: 'post' },
    });
    expect(saved.status).toBe(200);
    expect(await mode()).toBe('post');
  });

  it('answers a Mastodon instance that is missing or refused beside the field on the campaign page, with 400, no redirect and no pledge', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string; id: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['x', 'mastodon'] }),
    });
    const campaignPage = await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html });
    const pageHtml = await campaignPage.text();
    expect(pageHtml).toMatch(/<label for="instance-mastodon">Your Mastodon instance<\/label>/);
    expect(pageHtml).toContain('<option value="mastodon.social"></option>');
    // The form leads to the supporter's instance: the page's policy lets it, and nothing wider than https and the listed local instance.
    expect(campaignPage.headers.get('content-security-policy')).toContain(`form-action 'self' https: ${chorus.mastodon.origin};`);

    const pledges = async () =>
      (
        await chorus.ctx.db
          .selectFrom('pledges')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', created.body.id)
          .executeTakeFirstOrThrow()
      ).n;
    for (const [typed, message] of [
      ['', 'Name your Mastodon instance (like mastodon.social).'],
      ['10.0.0.1', 'Give the instance&#39;s name (like mastodon.social), not an address.'],
      ['localhost', 'That is not an instance name; type it like mastodon.social.'],
    ] as const) {
      const supporter = new Browser();
      const response = await supporter.request(
        `${chorus.url}/c/${created.body.slug}/support/mastodon?${new URLSearchParams({ instance: typed }).toString()}`,
        { headers: html },
      );
      const text = await response.text();
      expect(response.status, typed).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(text).toMatch(
        new RegExp(`id="instance-mastodon-error"><span class="visually-hidden">Error: </span>${message.replace(/[.()]/g, '\\$&')}</p>`),
      );
      expect(text).toContain(`value="${typed}"`);
      expect(text).toMatch(/aria-describedby="instance-mastodon-hint instance-mastodon-error" aria-invalid="true"/);
    }
    expect(await pledges()).toBe(0);
  });

  it('asks Bluesky supporters for their handle, and puts a malformed one back beside the field with nothing pledged', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string; id: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['x', 'bluesky'] }),
    });
    const pageHtml = await (await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html })).text();
    expect(pageHtml).toMatch(/<label for="handle-bluesky">Your Bluesky handle<\/label>/);
    expect(pageHtml).toContain('Your handle as your profile shows it, like alice.bsky.social.');

    const response = await new Browser().request(
      `${chorus.url}/c/${created.body.slug}/support/bluesky?handle=${encodeURIComponent('not a handle')}`,
      { headers: html },
    );
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain(
      'id="handle-bluesky-error"><span class="visually-hidden">Error: </span>That is not a Bluesky handle; type it like alice.bsky.social.</p>',
    );
    expect(text).toContain('value="not a handle"');
    const pledges = await chorus.ctx.db
      .selectFrom('pledges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(pledges.n).toBe(0);
  });

  it('counts visits to a short link and redirects to the campaign page', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string; id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const page = await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html });
    const text = await page.text();
    const code = new RegExp(`${chorus.url}/s/([A-Za-z0-9]{6})`).exec(text)?.[1] ?? '';
    expect(code).toHaveLength(6);
    for (let i = 0; i < 2; i++) {
      const hop = await new Browser().request(`${chorus.url}/s/${code}`);
      expect(hop.status).toBe(302);
      expect(hop.headers.get('location')).toBe(`/c/${created.body.slug}`);
    }
    const row = await chorus.ctx.db
      .selectFrom('short_links')
      .select('visits')
      .where('campaign_id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.visits).toBe(2);
  });

  it('shows a campaign page rendered once for visitors, and a signed-in organiser their own sign-out form', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ title: 'Thank our cleaners' }),
    });
    const visitor = await (await new Browser().request(`${chorus.url}/c/${created.body.slug}`, { headers: html })).text();
    expect(visitor).toContain('Thank our cleaners');
    expect(visitor).not.toContain('name="_csrf"');
    const own = await (await organiser.request(`${chorus.url}/c/${created.body.slug}`, { headers: html })).text();
    expect(own).toContain('Thank our cleaners');
    expect(own).toMatch(/name="_csrf" value="[^"]+"/);
  });
});

describe('the review page on a Mastodon instance with a small limit', () => {
  let chorus: TestChorus;
  let smallInstance: RunningMastodonSandbox;

  beforeAll(async () => {
    smallInstance = await startMastodonSandbox({ maxCharacters: 60 });
    chorus = await startTestChorus({ env: { MASTODON_LOCAL_INSTANCES: smallInstance.origin } });
  });
  afterAll(async () => {
    await chorus.close();
    await smallInstance.close();
  });

  it("checks the wording against the supporter's own instance: too long there is refused with 400 and nothing pledged, a short one is pledged", async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const link = 'https://example.org/ourhealthheroes';
    const created = await organiser.json<{ slug: string; id: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['mastodon'], variants: [`Thank you! ${link} #OurHealthHeroes`] }),
    });
    const supporter = new Browser();
    const connect = await supporter.request(
      `${chorus.url}/c/${created.body.slug}/support/mastodon?instance=${encodeURIComponent(smallInstance.origin)}`,
      { headers: html },
    );
    expect(connect.status).toBe(302);
    const back = await submitConsent(connect.headers.get('location') ?? '', { username: 'small_sam', followers: '12' });
    expect((await supporter.request(back, { headers: html })).headers.get('location')).toBe(`/c/${created.body.slug}/review`);
    const review = await pageWithToken(supporter, `${chorus.url}/c/${created.body.slug}/review`);
    expect(review.html).toContain(`as <strong>@small_sam@${new URL(smallInstance.origin).host}</strong>`);
    expect(review.html).toMatch(/>\d+ of 60 characters, as Mastodon counts them</);

    const pledges = async () =>
      (
        await chorus.ctx.db
          .selectFrom('pledges')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', created.body.id)
          .executeTakeFirstOrThrow()
      ).n;
    const tooLong = await supporter.request(`${chorus.url}/c/${created.body.slug}/review`, {
      headers: html,
      form: { _csrf: review.token, choice: 'message', text: '' },
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toMatch(/This wording cannot be posted from your account: .*60.*Pick another, or write your own\./);
    expect(await pledges()).toBe(0);

    const short = await supporter.request(`${chorus.url}/c/${created.body.slug}/review`, {
      headers: html,
      form: { _csrf: review.token, choice: 'variant-0', text: '' },
    });
    expect(short.status).toBe(201);
    expect(await short.text()).toContain(`One post</strong> from @small_sam@${new URL(smallInstance.origin).host} on Mastodon`);
    expect(await pledges()).toBe(1);
  });
});
