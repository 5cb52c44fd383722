import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueskyRecordKey } from '../../../src/networks/bluesky/bluesky-record-key.ts';
import { blueskyTextRules } from '../../../src/networks/bluesky/bluesky-text-rules.ts';
import { startBlueskyDevNetwork, type BlueskyDevNetwork } from '../../support/bluesky-dev-network.ts';
import { pledgeOnBluesky } from '../../support/bluesky-pledge.ts';
import { launchChromium } from '../../support/chromium.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

interface PostRecord {
  uri: string;
  value: {
    text: string;
    facets?: { index: { byteStart: number; byteEnd: number }; features: { $type: string; uri?: string; tag?: string }[] }[];
  };
}

describe('Bluesky against the reference PDS, PLC directory and AppView', () => {
  let network: BlueskyDevNetwork;
  let chorus: TestChorus;
  let chromium: Chromium;

  beforeAll(async () => {
    network = await startBlueskyDevNetwork();
    [chorus, chromium] = await Promise.all([startTestChorus({ env: network.env() }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await chromium.close();
    await chorus.close();
    await network.close();
  });

  async function posts(did: string): Promise<PostRecord[]> {
    const response = await fetch(`${network.pds}/xrpc/com.atproto.repo.listRecords?repo=${did}&collection=app.bsky.feed.post`);
    return ((await response.json()) as { records: PostRecord[] }).records;
  }

  /** A pledge made through the OAuth flow, and the session Chorus keeps for it. */
  async function pledgedSession(handle: string, followers: number) {
    const account = await network.account(handle, followers);
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['bluesky'] }),
    });
    expect(created.status).toBe(201);
    const pledge = await pledgeOnBluesky(chromium, chorus.url, created.body.slug, { handle });
    expect(pledge.status).toBe(201);
    const held = await chorus.ctx.db
      .selectFrom('pledge_credentials')
      .selectAll()
      .where('pledge_id', '=', pledge.body.id ?? '')
      .executeTakeFirstOrThrow();
    return { account, pledge, session: chorus.ctx.cipher.decrypt(held.key_id, held.access_token) };
  }

  it("signs a supporter in through their PDS's OAuth consent, and pledges with their follower count", async () => {
    const { account, pledge, session } = await pledgedSession('oauth-olu.test', 3);
    expect(pledge.body).toMatchObject({ network: 'bluesky', handle: 'oauth-olu.test', reach: 3 });
    expect(pledge.body.warnings).toEqual([]);
    const row = await chorus.ctx.db
      .selectFrom('social_accounts')
      .selectAll()
      .where('network', '=', 'bluesky')
      .where('network_user_id', '=', account.did)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ handle: 'oauth-olu.test', followers: 3, server: network.pds });
    // The stored session is DPoP-bound: it carries its private key, so it is only kept encrypted.
    expect(JSON.parse(session)).toMatchObject({ did: account.did, session: { dpopJwk: { kty: 'EC' }, tokenSet: { sub: account.did } } });
    // Sign-ins in progress are gone once used.
    expect(await chorus.ctx.db.selectFrom('bluesky_oauth_states').selectAll().execute()).toEqual([]);
  });

  it('refuses a handle that is not one, or that no server knows, before any redirect', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['bluesky'] }),
    });
    for (const [handle, reason] of [
      ['not a handle', 'that is not a Bluesky handle; type it like alice.bsky.social'],
      ['nobody-here.test', 'nobody-here.test could not be found on Bluesky; check the spelling'],
    ]) {
      const answer = await fetch(
        `${chorus.url}/api/v1/public/campaigns/${created.body.slug}/connect/bluesky?handle=${encodeURIComponent(handle ?? '')}`,
        { redirect: 'manual' },
      );
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toBe(reason);
    }
  });

  it('publishes a post whose link and hashtag facets have UTF-8 byte offsets', async () => {
    const { account, session } = await pledgedSession('facet-fay.test', 0);
    const text = 'Merci, soignantes 👩🏽‍⚕️ et aidants! https://example.org/héros #NosHéros';
    const bluesky = await chorus.ctx.networks.load('bluesky');
    const outcome = await bluesky?.publish(session, text, {
      idempotencyKey: 'chorus-delivery-facets',
      account: { networkUserId: account.did, server: network.pds },
    });
    expect(outcome?.kind).toBe('sent');
    const [record] = await posts(account.did);
    expect(record?.uri).toBe(`at://${account.did}/app.bsky.feed.post/${blueskyRecordKey('chorus-delivery-facets')}`);
    expect(record?.value.text).toBe(text);
    const bytes = Buffer.from(text, 'utf8');
    const facets = record?.value.facets ?? [];
    expect(facets.map((f) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]?.$type])).toEqual([
      ['https://example.org/héros', 'app.bsky.richtext.facet#link'],
      ['#NosHéros', 'app.bsky.richtext.facet#tag'],
    ]);
    // Byte offsets, not character offsets: the emoji and accents before the link weigh more than one each.
    expect(facets[0]?.index.byteStart).toBe(Buffer.byteLength(text.slice(0, text.indexOf('https://')), 'utf8'));
    expect(facets[0]?.index.byteStart).toBeGreaterThan(text.indexOf('https://'));
  });

  it('makes one record when the answer to the first request was lost and the delivery is retried', async () => {
    const { account, session } = await pledgedSession('lost-lou.test', 0);
    const bluesky = await chorus.ctx.networks.load('bluesky');
    const context = { idempotencyKey: 'chorus-delivery-lost', account: { networkUserId: account.did, server: network.pds } };
    const text = 'Thank you, support workers https://example.org/ourhealthheroes';
    const sent = { kind: 'sent', postId: `at://${account.did}/app.bsky.feed.post/${blueskyRecordKey('chorus-delivery-lost')}` };
    await network.loseAnswers(1);
    // The connection dropped after the PDS made the record: publish looks at the delivery's record key and finds it.
    expect(await bluesky?.publish(session, text, context)).toEqual(sent);
    // A worker that died before recording that outcome retries: the key is taken by the same post, so no second one.
    expect(await bluesky?.publish(session, text, context)).toEqual(sent);
    expect((await posts(account.did)).map((p) => p.value.text)).toEqual([text]);
  });

  it('refuses a campaign text over 300 graphemes for Bluesky, and keeps nothing', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const link = 'https://example.org/ourhealthheroes';
    const message = `${'é'.repeat(300 - link.length)} ${link}`;
    expect(blueskyTextRules.measure(message)).toBe(301);
    const body = campaignBody({ networks: ['bluesky'], message, variants: [] });
    const created = await organiser.json<{ message: string }>(`${chorus.url}/api/v1/campaigns`, { json: body });
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('300');
    const rows = await chorus.ctx.db
      .selectFrom('campaigns')
      .select('id')
      .where('slug', '=', body.slug as string)
      .execute();
    expect(rows).toEqual([]);
  });
});
