import { randomBytes } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealTokens } from '../../../src/security/sealed-tokens.ts';
import { recordPledge } from '../../../src/storage/pledge.repository.ts';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../../support/organiser.ts';
import { pngSize } from '../../support/png-header.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

// A real 400 × 300 PNG for the campaign's image (the card draws it on its left).
const photo = new Resvg(
  '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#c33"/><circle cx="200" cy="150" r="90" fill="#fc3"/></svg>',
)
  .render()
  .asPng();

describe("a campaign's share image: the link preview that shows the movement", () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let visitor: InjectBrowser;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url);
    visitor = new InjectBrowser(chorus.app);
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function openCampaign(overrides: Record<string, unknown> = {}) {
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody(overrides) });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** Pledges `count` supporters straight through the repository, as the consent callback does. */
  async function pledge(campaignId: string, count: number) {
    for (let i = 0; i < count; i++) {
      const handle = `supporter_${randomBytes(3).toString('hex')}`;
      const recorded = await recordPledge(chorus.ctx.db, {
        campaignId,
        network: 'x',
        profile: { networkUserId: randomBytes(6).toString('hex'), handle, displayName: handle, followers: 1500 },
        text: `Thank you! ${String(campaignBody().link)} #OurHealthHeroes ${handle}`,
        variantIndex: null,
        credentials: sealTokens(chorus.ctx.cipher, {
          accessToken: 'a',
          refreshToken: 'r',
          expiresAt: new Date(Date.now() + 3_600_000),
          scopes: 'tweet.write',
        }),
        manageTokenHash: randomBytes(16).toString('hex'),
      });
      expect(recorded.kind).not.toBe('not-collecting');
    }
  }

  async function uploadPhoto(campaignId: string) {
    const edit = await (await organiser.request(`${chorus.url}/organiser/campaigns/${campaignId}/edit`, { headers: html })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(edit)?.[1] ?? '';
    const form = new FormData();
    form.set('image', new Blob([photo], { type: 'image/png' }), 'porters.png');
    form.set('imageAlt', 'Porters waving outside the hospital');
    const saved = await organiser.upload(`${chorus.url}/organiser/campaigns/${campaignId}/image?_csrf=${encodeURIComponent(token)}`, form);
    expect(saved.status).toBe(200);
  }

  it('is a 1200 × 630 PNG, with an ETag that answers 304, kept in Postgres', async () => {
    const campaign = await openCampaign();
    await uploadPhoto(campaign.id);
    const image = await visitor.request(`${chorus.url}/c/${campaign.slug}/share-image.png`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    // Other sites may show it as oEmbed's thumbnail.
    expect(image.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
    const etag = image.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await visitor.request(`${chorus.url}/c/${campaign.slug}/share-image.png`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const stored = await chorus.ctx.db
      .selectFrom('campaign_share_images')
      .select('figures_key')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(stored).toEqual([{ figures_key: etag.slice(1, -1) }]);
  });

  it('is rendered again when the figures move, and the page points to the new one', async () => {
    const campaign = await openCampaign({ goal: 10 });
    const pageImage = async () => {
      const page = await (await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
      return /<meta property="og:image" content="([^"]+)">/.exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';
    };
    const before = await pageImage();
    expect(before).toMatch(new RegExp(`^${chorus.url}/c/${campaign.slug}/share-image\\.png\\?v=[0-9a-f]{16}$`));
    const first = (await visitor.request(before)).headers.get('etag');
    await pledge(campaign.id, 3);
    // The page and the image's figures are kept for a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await pageImage();
    expect(after).not.toBe(before);
    const second = await visitor.request(after);
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(first);
    expect(pngSize(new Uint8Array(await second.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
  });

  it('is announced as a large-image card beside the Open Graph meta', async () => {
    const campaign = await openCampaign();
    const page = await (await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toMatch(/<meta name="twitter:image" content="[^"]+\/share-image\.png\?v=[0-9a-f]{16}">/);
    expect(page).toContain('<meta property="og:image:width" content="1200">');
    expect(page).toContain('<meta property="og:image:height" content="630">');
  });

  it('is not there for a draft or an unknown campaign', async () => {
    const draft = await openCampaign({ publish: false });
    expect((await visitor.request(`${chorus.url}/c/${draft.slug}/share-image.png`)).status).toBe(404);
    expect((await visitor.request(`${chorus.url}/c/no-such-campaign/share-image.png`)).status).toBe(404);
  });

  it('goes without a campaign image that does not decode, rather than failing', async () => {
    const campaign = await openCampaign();
    // The upload check reads only the first bytes: a "JPEG" that is only that still gets a card.
    await chorus.ctx.db
      .insertInto('campaign_images')
      .values({
        campaign_id: campaign.id,
        sha256: 'a'.repeat(64),
        content_type: 'image/jpeg',
        byte_length: 8,
        bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]),
      })
      .execute();
    const image = await visitor.request(`${chorus.url}/c/${campaign.slug}/share-image.png`);
    expect(image.status).toBe(200);
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
  });
});
