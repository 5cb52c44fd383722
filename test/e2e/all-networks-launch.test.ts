import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlueskyDevNetwork, type BlueskyDevNetwork } from '../support/bluesky-dev-network.ts';
import { pledgeOnBluesky } from '../support/bluesky-pledge.ts';
import { launchChromium } from '../support/chromium.ts';
import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

interface Numbers {
  state: string;
  supporters: number;
  reach: number;
  byNetwork: { network: string; supporters: number; reach: number }[];
  deliveries: { sent: number; failed: number; pending: number } | null;
}

async function inspect<T>(url: string): Promise<T> {
  return (await fetch(url)).json() as Promise<T>;
}

describe('one campaign, supporters on X, Mastodon, Bluesky and LinkedIn', () => {
  let chorus: TestChorus;
  let bluesky: BlueskyDevNetwork;
  let chromium: Chromium;
  const visitor = new Browser();

  beforeAll(async () => {
    bluesky = await startBlueskyDevNetwork();
    [chorus, chromium] = await Promise.all([startTestChorus({ env: bluesky.env() }), launchChromium()]);
    await chorus.startWorkers();
  }, 120_000);
  afterAll(async () => {
    await chromium.close();
    await chorus.close();
    await bluesky.close();
  });

  async function blueskyPosts(did: string): Promise<{ uri: string; value: { text: string; facets?: unknown[] } }[]> {
    const response = await fetch(`${bluesky.pds}/xrpc/com.atproto.repo.listRecords?repo=${did}&collection=app.bsky.feed.post`);
    return ((await response.json()) as { records: { uri: string; value: { text: string; facets?: unknown[] } }[] }).records;
  }

  it('posts exactly once from each supporter, each on their own network', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    // Launch well ahead: signing in on eight networks' pages can be slow on a busy machine.
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 8, networks: ['x', 'mastodon', 'bluesky', 'linkedin'] }, 600),
    });
    expect(created.status).toBe(201);
    const slug = created.body.slug;
    const instance = chorus.mastodon.origin;
    const [gil, hana] = await Promise.all([bluesky.account('sky-gil.test', 2), bluesky.account('sky-hana.test', 1)]);

    const pledges = await Promise.all([
      pledgeThroughConsent(chorus.url, slug, { username: 'x_ada', followers: 300 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'x_bo', followers: 200, variant: 0 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'toot_cy', followers: 40, network: 'mastodon', instance }),
      pledgeThroughConsent(chorus.url, slug, { username: 'toot_di', followers: 60, network: 'mastodon', instance, variant: 0 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'li_ed', followers: 0, network: 'linkedin' }),
      pledgeThroughConsent(chorus.url, slug, { username: 'li_flo', followers: 0, network: 'linkedin' }),
      pledgeOnBluesky(chromium, chorus.url, slug, { handle: 'sky-gil.test' }),
      pledgeOnBluesky(chromium, chorus.url, slug, { handle: 'sky-hana.test', variant: 0 }),
    ]);
    expect(pledges.map((p) => p.status)).toEqual([201, 201, 201, 201, 201, 201, 201, 201]);

    const before = (await visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body;
    expect(before).toMatchObject({ supporters: 8, reach: 603 });
    expect(before.byNetwork).toEqual([
      { network: 'bluesky', supporters: 2, reach: 3 },
      { network: 'linkedin', supporters: 2, reach: 0 },
      { network: 'mastodon', supporters: 2, reach: 100 },
      { network: 'x', supporters: 2, reach: 500 },
    ]);

    // Everyone is in: the organiser brings the launch forward.
    const moved = await organiser.json(`${chorus.url}/api/v1/campaigns/${created.body.id}`, {
      method: 'PATCH',
      json: { launchAt: new Date(Date.now() + 3000).toISOString() },
    });
    expect(moved.status).toBe(200);
    const after = await waitFor(
      async () => (await visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body,
      (n) => n.state === 'launched',
      60_000,
    );
    expect(after.deliveries).toEqual({ sent: 8, failed: 0, pending: 0, held: 0 });

    // The PDS holds exactly one post from each Bluesky supporter, the text they pledged, with its link and tag as facets.
    const [gilPosts, hanaPosts] = await Promise.all([blueskyPosts(gil.did), blueskyPosts(hana.did)]);
    expect(gilPosts.map((p) => p.value.text)).toEqual([
      'Support workers keep our health service going. Thank you! https://example.org/ourhealthheroes #OurHealthHeroes',
    ]);
    expect(hanaPosts.map((p) => p.value.text)).toEqual([
      "Let's talk about the healthcare support workforce! https://example.org/ourhealthheroes #OurHealthHeroes",
    ]);
    expect(gilPosts[0]?.value.facets).toHaveLength(2);

    const tweets = (await sandboxPosts(chorus.sandbox.url)).filter((p) => p.username === 'x_ada' || p.username === 'x_bo');
    expect(tweets.map((t) => t.username).sort()).toEqual(['x_ada', 'x_bo']);

    const { statuses } = await inspect<{ statuses: { username: string; text: string; idempotencyKey?: string }[] }>(
      `${instance}/__sandbox/statuses`,
    );
    expect(statuses.map((s) => s.username).sort()).toEqual(['toot_cy', 'toot_di']);
    expect(statuses.every((s) => s.idempotencyKey?.startsWith('chorus-delivery-'))).toBe(true);
    expect(statuses.find((s) => s.username === 'toot_di')?.text).toContain("Let's talk about the healthcare support workforce!");

    const { posts } = await inspect<{ posts: { name: string; text: string; commentary: string }[] }>(
      `${chorus.linkedin.url}__sandbox/posts`,
    );
    expect(posts.map((p) => p.name).sort()).toEqual(['li_ed', 'li_flo']);
    // The hashtag went out as LinkedIn's hashtag template and reads as written.
    expect(posts[0]?.commentary).toContain('{hashtag|\\#|OurHealthHeroes}');
    expect(posts[0]?.text).toBe(
      `Support workers keep our health service going. Thank you! https://example.org/ourhealthheroes #OurHealthHeroes`,
    );
  }, 90_000);

  it("in repost mode, posts once from the campaign's own X account and reposts it from every X supporter", async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string; xMode: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 4, networks: ['x', 'mastodon', 'linkedin'], xMode: 'repost' }, 5),
    });
    expect(created.body.xMode).toBe('repost');
    const { id, slug } = created.body;

    const connect = await organiser.request(`${chorus.url}/api/v1/campaigns/${id}/connect/x`);
    expect(connect.status).toBe(302);
    const back = await submitConsent(connect.headers.get('location') ?? '', { username: 'nhs_heroes', followers: '90000' });
    const connected = await organiser.json<{ handle: string }>(back);
    expect({ status: connected.status, body: connected.body }).toEqual({
      status: 200,
      body: { campaign: id, network: 'x', handle: 'nhs_heroes' },
    });

    const pledges = await Promise.all([
      pledgeThroughConsent(chorus.url, slug, { username: 'rt_gus', followers: 10 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'rt_hal', followers: 20, variant: 0 }),
      pledgeThroughConsent(chorus.url, slug, {
        username: 'toot_ivy',
        followers: 30,
        network: 'mastodon',
        instance: chorus.mastodon.origin,
      }),
      pledgeThroughConsent(chorus.url, slug, { username: 'li_jo', followers: 0, network: 'linkedin' }),
    ]);
    expect(pledges.map((p) => p.status)).toEqual([201, 201, 201, 201]);

    await waitFor(
      async () => (await visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body,
      (n) => n.state === 'launched',
    );
    const detail = await organiser.json<{ deliveriesByNetwork: unknown[]; xAccount: { postState: string; postId: string } }>(
      `${chorus.url}/api/v1/campaigns/${id}`,
    );
    expect(detail.body.deliveriesByNetwork).toEqual([
      { network: 'linkedin', sent: 1, failed: 0, unknown: 0, pending: 0, held: 0 },
      { network: 'mastodon', sent: 1, failed: 0, unknown: 0, pending: 0, held: 0 },
      { network: 'x', sent: 2, failed: 0, unknown: 0, pending: 0, held: 0 },
    ]);
    expect(detail.body.xAccount.postState).toBe('sent');

    const tweets = (await sandboxPosts(chorus.sandbox.url)).filter((p) => ['nhs_heroes', 'rt_gus', 'rt_hal'].includes(p.username));
    expect(tweets.map((t) => [t.username, t.id])).toEqual([['nhs_heroes', detail.body.xAccount.postId]]);
    const { retweets } = await inspect<{ retweets: { username: string; tweetId: string }[] }>(`${chorus.sandbox.url}__sandbox/retweets`);
    const ours = retweets.filter((r) => r.tweetId === detail.body.xAccount.postId);
    expect(ours.map((r) => r.username).sort()).toEqual(['rt_gus', 'rt_hal']);

    const { statuses } = await inspect<{ statuses: { username: string }[] }>(`${chorus.mastodon.origin}/__sandbox/statuses`);
    expect(statuses.filter((s) => s.username === 'toot_ivy')).toHaveLength(1);
    const { posts } = await inspect<{ posts: { name: string }[] }>(`${chorus.linkedin.url}__sandbox/posts`);
    expect(posts.filter((p) => p.name === 'li_jo')).toHaveLength(1);
    // The campaign account's grant went with its one post.
    const held = await chorus.ctx.db
      .selectFrom('campaign_accounts')
      .select('access_token')
      .where('campaign_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(held.access_token).toBeNull();
  });
});
