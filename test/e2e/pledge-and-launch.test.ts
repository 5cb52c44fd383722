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
  goal: number;
  percentOfGoal: number;
  reach: number;
  topSupporters: { handle: string; reach: number }[];
  deliveries: { sent: number; failed: number; pending: number; held: number } | null;
}

describe('pledge on X and release at the launch time', () => {
  let chorus: TestChorus;
  const visitor = new Browser();

  beforeAll(async () => {
    chorus = await startTestChorus();
    await chorus.startWorkers();
  });
  afterAll(async () => {
    await chorus.close();
  });

  const numbers = (slug: string) => visitor.json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`).then((r) => r.body);
  const credentialsHeld = async (slug: string) => {
    const row = await chorus.ctx.db
      .selectFrom('pledge_credentials')
      .innerJoin('pledges', 'pledges.id', 'pledge_credentials.pledge_id')
      .innerJoin('campaigns', 'campaigns.id', 'pledges.campaign_id')
      .where('campaigns.slug', '=', slug)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  };

  it('posts once from each of three supporters when the goal is met, and shows their reach', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string; state: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 3 }, 2),
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('collecting');
    const slug = created.body.slug;

    // Each asks to be named on the public page, which names no one who did not.
    const supporters = [
      { username: 'porter_pat', followers: 120, showName: true },
      { username: 'nurse_nia', followers: 4500, showName: true },
      { username: 'cleaner_cal', followers: 80, variant: 0, showName: true },
    ];
    const pledges = await Promise.all(supporters.map((s) => pledgeThroughConsent(chorus.url, slug, s)));
    for (const pledge of pledges) expect(pledge.status).toBe(201);

    // The public numbers are at most a second old.
    const before = await waitFor(
      () => numbers(slug),
      (n) => n.supporters === 3,
    );
    expect(before).toMatchObject({ state: 'collecting', supporters: 3, goal: 3, percentOfGoal: 100, reach: 4700 });
    expect(before.topSupporters.map((s) => s.handle)).toEqual(['nurse_nia', 'porter_pat', 'cleaner_cal']);

    const after = await waitFor(
      () => numbers(slug),
      (n) => n.state === 'launched',
    );
    expect(after.deliveries).toEqual({ sent: 3, failed: 0, pending: 0, held: 0 });
    expect(after).toMatchObject({ supporters: 3, reach: 4700 });

    const posts = (await sandboxPosts(chorus.sandbox.url)).filter((p) => p.text.includes('#OurHealthHeroes'));
    const fromThisCampaign = posts.filter((p) => supporters.some((s) => s.username === p.username));
    expect(fromThisCampaign.map((p) => p.username).sort()).toEqual(['cleaner_cal', 'nurse_nia', 'porter_pat']);
    expect(fromThisCampaign.find((p) => p.username === 'cleaner_cal')?.text).toContain(
      "Let's talk about the healthcare support workforce!",
    );

    const deliveries = await chorus.ctx.db
      .selectFrom('deliveries')
      .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
      .where('campaigns.slug', '=', slug)
      .select(['deliveries.state', 'deliveries.network_post_id'])
      .execute();
    expect(deliveries.map((d) => d.network_post_id).sort()).toEqual(fromThisCampaign.map((p) => p.id).sort());
    // The one-time post is done: Chorus holds no access to these accounts any more.
    expect(await credentialsHeld(slug)).toBe(0);
  });

  it('posts nothing and ends missed_goal when the goal was not reached', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 3 }, 2) });
    const slug = created.body.slug;
    const pledge = await pledgeThroughConsent(chorus.url, slug, { username: 'lonely_lou', followers: 10 });
    expect(pledge.status).toBe(201);

    const after = await waitFor(
      () => numbers(slug),
      (n) => n.state !== 'collecting',
    );
    expect(after.state).toBe('missed_goal');
    expect(after.deliveries).toBeNull();
    expect((await sandboxPosts(chorus.sandbox.url)).filter((p) => p.username === 'lonely_lou')).toEqual([]);
    expect(await credentialsHeld(slug)).toBe(0);
  });

  it('does not post a pledge withdrawn before launch', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 2 }, 3) });
    const slug = created.body.slug;
    const [stays1, stays2, leaves] = await Promise.all(
      ['stay_one', 'stay_two', 'leaver_lee'].map((username) => pledgeThroughConsent(chorus.url, slug, { username, followers: 50 })),
    );
    expect([stays1?.status, stays2?.status, leaves?.status]).toEqual([201, 201, 201]);

    const withdrawn = await visitor.request(`${chorus.url}/api/v1/pledges/${leaves?.body.id ?? ''}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${leaves?.body.manageToken ?? ''}` },
    });
    expect(withdrawn.status).toBe(204);
    expect(
      await waitFor(
        () => numbers(slug),
        (n) => n.supporters === 2,
      ),
    ).toMatchObject({ supporters: 2, reach: 100 });

    const after = await waitFor(
      () => numbers(slug),
      (n) => n.state === 'launched',
    );
    expect(after.deliveries).toEqual({ sent: 2, failed: 0, pending: 0, held: 0 });
    const usernames = (await sandboxPosts(chorus.sandbox.url)).map((p) => p.username);
    expect(usernames).toContain('stay_one');
    expect(usernames).toContain('stay_two');
    expect(usernames).not.toContain('leaver_lee');
  });
});
