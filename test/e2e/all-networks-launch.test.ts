import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('one campaign, supporters on X, Mastodon and LinkedIn', () => {
  let chorus: TestChorus;
  const visitor = new Browser();

  beforeAll(async () => {
    chorus = await startTestChorus();
    await chorus.startWorkers();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('posts exactly once from each supporter, each on their own network', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 6, networks: ['x', 'mastodon', 'linkedin'] }, 5),
    });
    expect(created.status).toBe(201);
    const slug = created.body.slug;
    const instance = chorus.mastodon.origin;

    const pledges = await Promise.all([
      pledgeThroughConsent(chorus.url, slug, { username: 'x_ada', followers: 300 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'x_bo', followers: 200, variant: 0 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'toot_cy', followers: 40, network: 'mastodon', instance }),
      pledgeThroughConsent(chorus.url, slug, { username: 'toot_di', followers: 60, network: 'mastodon', instance, variant: 0 }),
      pledgeThroughConsent(chorus.url, slug, { username: 'li_ed', followers: 0, network: 'linkedin' }),
      pledgeThroughConsent(chorus.url, slug, { username: 'li_flo', followers: 0, network: 'linkedin' }),
    ]);
    expect(pledges.map((p) => p.status)).toEqual([201, 201, 201, 201, 201, 201]);

    const before = (await visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body;
    expect(before).toMatchObject({ supporters: 6, reach: 600 });
    expect(before.byNetwork).toEqual([
      { network: 'linkedin', supporters: 2, reach: 0 },
      { network: 'mastodon', supporters: 2, reach: 100 },
      { network: 'x', supporters: 2, reach: 500 },
    ]);

    const after = await waitFor(async () => (await visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body, (n) => n.state === 'launched');
    expect(after.deliveries).toEqual({ sent: 6, failed: 0, pending: 0 });

    const tweets = (await sandboxPosts(chorus.sandbox.url)).filter((p) => p.username === 'x_ada' || p.username === 'x_bo');
    expect(tweets.map((t) => t.username).sort()).toEqual(['x_ada', 'x_bo']);

    const { statuses } = await inspect<{ statuses: { username: string; text: string; idempotencyKey?: string }[] }>(`${instance}/__sandbox/statuses`);
    expect(statuses.map((s) => s.username).sort()).toEqual(['toot_cy', 'toot_di']);
    expect(statuses.every((s) => s.idempotencyKey?.startsWith('chorus-delivery-'))).toBe(true);
    expect(statuses.find((s) => s.username === 'toot_di')?.text).toContain("Let's talk about the healthcare support workforce!");

    const { posts } = await inspect<{ posts: { name: string; text: string; commentary: string }[] }>(`${chorus.linkedin.url}__sandbox/posts`);
    expect(posts.map((p) => p.name).sort()).toEqual(['li_ed', 'li_flo']);
    // The hashtag went out as LinkedIn's hashtag template and reads as written.
    expect(posts[0]?.commentary).toContain('{hashtag|\\#|OurHealthHeroes}');
    expect(posts[0]?.text).toBe(`Support workers keep our health service going. Thank you! https://example.org/ourhealthheroes #OurHealthHeroes`);
  });
});
