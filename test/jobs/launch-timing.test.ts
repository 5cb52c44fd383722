import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleLaunch } from '../../src/jobs/launch-schedule.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

describe('the launch at its time', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ ownDatabase: true });
    await chorus.startWorkers();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('decides no earlier than the launch time, counting a pledge made in its last second', async () => {
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [
      `lt_early_${Date.now() % 100000}`,
      `lt_late_${Date.now() % 100000}`,
    ]);
    const [early, late] = supporters;
    if (early === undefined || late === undefined) throw new Error('two supporters were minted');
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 2000), 2);
    await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, [early]);
    await scheduleLaunch(chorus.ctx.queues.launches, campaign.id, campaign.launch_at);

    // The launch job is awake by now, waiting out the last second; the goal is only met by this pledge.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, campaign.launch_at.getTime() - 400 - Date.now())));
    await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, [late]);

    const launched = await waitFor(
      () =>
        chorus.ctx.db
          .selectFrom('campaigns')
          .select(['state', 'launch_started_at'])
          .where('id', '=', campaign.id)
          .executeTakeFirstOrThrow(),
      (row) => row.state !== 'collecting' && row.state !== 'launching',
      20_000,
    );
    expect(launched.state).toBe('launched');
    expect(launched.launch_started_at?.getTime()).toBeGreaterThanOrEqual(campaign.launch_at.getTime());
    const authors = new Set((await sandboxPosts(chorus.sandbox.url)).map((post) => post.authorId));
    expect(authors.has(early.id) && authors.has(late.id)).toBe(true);
  });
});
