import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

describe('posts in flight to a network', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    // Its own database: these posts must not spend the app budget other test files share.
    chorus = await startTestChorus({ env: { DELIVERY_CONCURRENCY: '4' }, ownDatabase: true });
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('never exceed DELIVERY_CONCURRENCY, and the limit is kept full while the launch runs', async () => {
    // Every answer from X takes 150 ms, as a busy network's would.
    const faults = await fetch(new URL('__sandbox/faults', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [{ fault: { kind: 'slow', delayMs: 150 }, probability: 1 }] }),
    });
    expect(faults.status).toBe(200);
    const names = Array.from({ length: 24 }, (_, index) => `fl${index}_${Date.now() % 100000}`);
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names);
    // Pledges are taken only before the launch time: an hour ahead while they are seeded (which can take seconds
    // on a loaded machine), then moved to a second from now.
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 3_600_000));
    await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);
    await chorus.ctx.db
      .updateTable('campaigns')
      .set({ launch_at: new Date(Date.now() + 1000) })
      .where('id', '=', campaign.id)
      .execute();
    await fetch(new URL('__sandbox/load', chorus.sandbox.url), { method: 'DELETE' });

    // The workers find the launch in Postgres, as after any restart.
    await chorus.startWorkers();
    await waitFor(
      () => chorus.ctx.db.selectFrom('campaigns').select('state').where('id', '=', campaign.id).executeTakeFirstOrThrow(),
      (row) => row.state === 'launched',
      30_000,
    );

    const authors = new Set(supporters.map((supporter) => supporter.id));
    expect((await sandboxPosts(chorus.sandbox.url)).filter((post) => authors.has(post.authorId))).toHaveLength(24);
    const load = (await (await fetch(new URL('__sandbox/load', chorus.sandbox.url))).json()) as { mostRequestsInFlight: number };
    expect(load.mostRequestsInFlight).toBeLessThanOrEqual(4);
    // Four at a time, not one: the claims and outcomes of the others do not hold the posts' places.
    expect(load.mostRequestsInFlight).toBe(4);
  });
});
