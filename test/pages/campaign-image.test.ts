import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// A 1×1 PNG and the first bytes of a JPEG: Chorus recognises images by their bytes.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a small JPEG, as far as its first bytes go')]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('campaign images', () => {
  // Two API hosts on one database, as behind a load balancer: what one stores, the other serves.
  let first: TestChorus;
  let second: TestChorus;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestChorus(), startTestChorus()]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  async function campaignWithEditPage(): Promise<{ organiser: Browser; id: string; slug: string; token: string }> {
    const organiser = await signUpOrganiser(first.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${first.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    const edit = await (
      await organiser.request(`${first.url}/organiser/campaigns/${created.body.id}/edit`, { headers: { accept: 'text/html' } })
    ).text();
    const token = /image\?_csrf=([^"]+)"/.exec(edit)?.[1] ?? '';
    return { organiser, id: created.body.id, slug: created.body.slug, token };
  }

  async function upload(
    campaign: { organiser: Browser; id: string; token: string },
    file: Buffer | null,
    alt: string,
    name = 'poster.png',
  ) {
    const body = new FormData();
    body.set('imageAlt', alt);
    if (file !== null) body.set('image', new Blob([file], { type: 'image/png' }), name);
    const response = await campaign.organiser.upload(`${first.url}/organiser/campaigns/${campaign.id}/image?_csrf=${campaign.token}`, body);
    return { status: response.status, html: await response.text() };
  }

  const storedImage = (campaignId: string) =>
    first.ctx.db
      .selectFrom('campaign_images')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_images.campaign_id')
      .select(['sha256', 'content_type', 'byte_length', 'image_alt'])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();

  it('serves an image uploaded on one host from another, named by its hash, with an ETag, a 304 and a year of caching', async () => {
    const campaign = await campaignWithEditPage();
    const saved = await upload(campaign, png, '  Porters waving outside the hospital ');
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('The image is saved.');
    const path = `/images/${sha256(png)}.png`;
    expect(saved.html).toContain(`src="${path}"`);

    // The other host's campaign page shows it; link previews show the share image, which draws it beside the figures.
    const page = await (await fetch(`${second.url}/c/${campaign.slug}`)).text();
    expect(page).toContain(`<img class="campaign-image" src="${second.url}${path}" alt="Porters waving outside the hospital">`);
    expect(page).toMatch(
      new RegExp(`<meta property="og:image" content="${second.url}/c/${campaign.slug}/share-image\\.png\\?v=[0-9a-f]{16}">`),
    );

    const image = await fetch(`${second.url}${path}`);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('etag')).toBe(`"${sha256(png)}"`);
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');

    for (const ifNoneMatch of [`"${sha256(png)}"`, `W/"${sha256(png)}"`, `"other", "${sha256(png)}"`]) {
      const again = await fetch(`${second.url}${path}`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(`"${sha256(png)}"`);
      expect(await again.text()).toBe('');
    }
    const stale = await fetch(`${second.url}${path}`, { headers: { 'if-none-match': '"an-older-image"' } });
    expect(stale.status).toBe(200);

    expect((await fetch(`${second.url}/images/${'0'.repeat(64)}.png`)).status).toBe(404);
    expect((await fetch(`${second.url}/images/${sha256(png)}.jpg`)).status).toBe(404);
    expect((await fetch(`${second.url}/images/${'0'.repeat(64)}.png`, { headers: { 'if-none-match': '*' } })).status).toBe(404);
    expect((await fetch(`${second.url}/images/../package.json`)).status).toBe(404);
  });

  it('replaces the image on a new upload: the new one is served, the old address is gone', async () => {
    const campaign = await campaignWithEditPage();
    // Bytes no other campaign has: an image is served for as long as any campaign holds the same bytes.
    const poster = Buffer.concat([png, randomBytes(8)]);
    expect((await upload(campaign, poster, 'A poster')).status).toBe(200);
    const replaced = await upload(campaign, jpeg, 'A photo', 'photo.jpg');
    expect(replaced.status).toBe(200);
    expect(await storedImage(campaign.id)).toEqual({
      sha256: sha256(jpeg),
      content_type: 'image/jpeg',
      byte_length: jpeg.byteLength,
      image_alt: 'A photo',
    });
    const served = await fetch(`${second.url}/images/${sha256(jpeg)}.jpg`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true);
    expect((await fetch(`${second.url}/images/${sha256(poster)}.png`)).status).toBe(404);
  });

  it('refuses an image over 2 MB, a file that is not an image, or no description with a clear 4xx, keeping the image as it was', async () => {
    const campaign = await campaignWithEditPage();
    expect((await upload(campaign, png, 'A poster')).status).toBe(200);
    const before = await storedImage(campaign.id);

    const oversized = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    const tooLarge = await upload(campaign, oversized, 'A bigger poster');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.html).toMatch(/id="image-error">.*The image is larger than 2 MB/s);

    const notAnImage = await upload(campaign, Buffer.from('<svg onload="alert(1)"></svg>'), 'A drawing', 'drawing.png');
    expect(notAnImage.status).toBe(415);
    expect(notAnImage.html).toMatch(/id="image-error">.*not a PNG, JPEG or WebP image/s);

    const noDescription = await upload(campaign, jpeg, '   ', 'photo.jpg');
    expect(noDescription.status).toBe(400);
    expect(noDescription.html).toMatch(/id="imageAlt-error">.*Describe the image/s);

    const noFile = await upload(campaign, null, 'A poster');
    expect(noFile.status).toBe(400);
    expect(noFile.html).toMatch(/id="image-error">.*Choose an image file/s);

    expect(await storedImage(campaign.id)).toEqual(before);
    expect((await fetch(`${second.url}/images/${sha256(png)}.png`)).status).toBe(200);
  });
});
