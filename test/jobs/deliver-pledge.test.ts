import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPledge, type DeliveryContext } from '../../src/delivery/deliver-pledge.ts';
import { refreshTokensAheadOfLaunch } from '../../src/launch/refresh-ahead-of-launch.ts';
import { deliveryPolicyFor } from '../../src/delivery/delivery-policy.ts';
import { handOutDeliveries } from '../../src/jobs/hand-out-deliveries.ts';
import { releaseCampaign } from '../../src/launch/release-campaign.ts';
import type { XSandboxFaultPlan } from '../../src/networks/x/sandbox/x-sandbox-faults.ts';
import { createXClient } from '../../src/networks/x/x-api-client.ts';
import { claimDelivery } from '../../src/storage/delivery.repository.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges, type MintedSupporter } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

describe('delivering one pledge through faults', () => {
  let chorus: TestChorus;
  let ctx: DeliveryContext;
  let serial = 0;

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { NETWORK_REQUEST_TIMEOUT_SECONDS: '1' } });
    ctx = {
      ...chorus.ctx,
      policy: { leaseMs: 20_000, retryWindowMs: 600_000, budgets: new Map(), pauseProbe: { baseMs: 1000, capMs: 4000 } },
      random: () => 0,
    };
  });
  afterAll(async () => {
    await chorus.close();
  });

  const setFaults = async (plan: Partial<XSandboxFaultPlan>) => {
    const response = await fetch(new URL('__sandbox/faults', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [], ...plan }),
    });
    expect(response.status).toBe(200);
  };

  /** A launched campaign of `count` fresh supporters; returns their delivery ids in pledge order. */
  async function launched(count: number, ttlSeconds?: number) {
    serial += 1;
    const names = Array.from({ length: count }, (_, index) => `dp${serial}_${index}_${Date.now() % 100000}`);
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names, ttlSeconds);
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 60_000));
    const pledgeIds = await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);
    await releaseCampaign(
      { ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx), handOut: handOutDeliveries(chorus.ctx.queues.deliveries) },
      campaign.id,
      new Date(campaign.launch_at.getTime() + 1),
    );
    const rows = await chorus.ctx.db.selectFrom('deliveries').select(['id', 'pledge_id']).where('campaign_id', '=', campaign.id).execute();
    const deliveryIds = pledgeIds.map((pledgeId) => rows.find((row) => row.pledge_id === pledgeId)?.id ?? '');
    return { campaign, supporters, pledgeIds, deliveryIds };
  }

  const delivery = (id: string) => chorus.ctx.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const postsBy = async (supporter: MintedSupporter) =>
    (await sandboxPosts(chorus.sandbox.url)).filter((post) => post.authorId === supporter.id);
  const credentialsLeft = async (pledgeId: string) =>
    (await chorus.ctx.db.selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', '=', pledgeId).execute()).length;
  // Skips the pause before the next attempt, which only waits for time to pass.
  const dueNow = (id: string) => chorus.ctx.db.updateTable('deliveries').set({ next_attempt_at: null }).where('id', '=', id).execute();

  it('posts once when two workers run the same delivery at the same moment', async () => {
    const { supporters, deliveryIds, pledgeIds } = await launched(1);
    const id = deliveryIds[0] ?? '';
    const steps = await Promise.all([deliverPledge(ctx, id), deliverPledge(ctx, id), deliverPledge(ctx, id)]);
    expect(steps.filter((step) => step.kind === 'done')).toHaveLength(1);
    expect(await postsBy(supporters[0] as MintedSupporter)).toHaveLength(1);
    expect((await delivery(id)).state).toBe('sent');
    expect(await credentialsLeft(pledgeIds[0] ?? '')).toBe(0);
  });

  for (const fault of [{ kind: 'server-error-after-post' }, { kind: 'drop-after-post' }, { kind: 'slow', delayMs: 1500 }] as const) {
    it(`finds the post on the account instead of posting again after ${fault.kind}`, async () => {
      const { supporters, deliveryIds } = await launched(1);
      const id = deliveryIds[0] ?? '';
      await setFaults({ rules: [{ fault, probability: 1 }] });
      const first = await deliverPledge(ctx, id);
      await setFaults({ rules: [] });
      expect(first).toMatchObject({ kind: 'done', record: { state: 'unknown' } });
      expect((await delivery(id)).must_check).toBe(true);

      await dueNow(id);
      expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'sent' } });
      const posts = await postsBy(supporters[0] as MintedSupporter);
      expect(posts).toHaveLength(1);
      expect((await delivery(id)).network_post_id).toBe(posts[0]?.id);
    });
  }

  it('posts when the worker that held the claim died before posting, and finds the post when it died after', async () => {
    const { supporters, deliveryIds, campaign } = await launched(2);
    // Both claims lapse at once, as when their worker is killed.
    for (const id of deliveryIds) expect((await claimDelivery(chorus.ctx.db, id, 1)).kind).toBe('claimed');
    // The second one's worker got its post out before it died.
    const second = supporters[1] as MintedSupporter;
    await createXClient({ apiUrl: chorus.sandbox.url, accessToken: second.accessToken }).v2.tweet(
      `${campaign.message} from @${second.username}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));

    for (const id of deliveryIds) expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'sent' } });
    for (const supporter of supporters) expect(await postsBy(supporter)).toHaveLength(1);
  });

  it('records the post as sent when X refuses a retry as duplicate content', async () => {
    const { supporters, deliveryIds, campaign } = await launched(1);
    const supporter = supporters[0] as MintedSupporter;
    const earlier = await createXClient({ apiUrl: chorus.sandbox.url, accessToken: supporter.accessToken }).v2.tweet(
      `${campaign.message} from @${supporter.username}`,
    );
    const id = deliveryIds[0] ?? '';
    expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'sent', postId: earlier.data.id } });
    expect(await postsBy(supporter)).toHaveLength(1);
  });

  it('waits for x-rate-limit-reset after a 429, and gives up with the reason once past the retry deadline', async () => {
    const { deliveryIds, supporters } = await launched(1);
    const id = deliveryIds[0] ?? '';
    await setFaults({ rules: [{ fault: { kind: 'rate-limit', resetSeconds: 120 }, probability: 1 }] });
    expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'queued', reason: 'X rate limit reached' } });
    const waiting = await delivery(id);
    expect(waiting.next_attempt_at?.getTime()).toBeGreaterThanOrEqual(Date.now() + 110_000);

    await chorus.ctx.db
      .updateTable('deliveries')
      .set({ next_attempt_at: null, retry_deadline: new Date(Date.now() + 10_000) })
      .where('id', '=', id)
      .execute();
    const last = await deliverPledge(ctx, id);
    await setFaults({ rules: [] });
    expect(last).toMatchObject({ kind: 'done', record: { state: 'failed' } });
    expect((await delivery(id)).failure_reason).toMatch(/^gave up after 2 attempts over \d+ min: X rate limit reached$/);
    expect(await postsBy(supporters[0] as MintedSupporter)).toHaveLength(0);
  });

  it('fails at once, with a readable reason, when the supporter revoked access', async () => {
    const { deliveryIds, supporters, pledgeIds } = await launched(1);
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: supporters[0]?.username }),
    });
    expect(await deliverPledge(ctx, deliveryIds[0] ?? '')).toMatchObject({ kind: 'done', record: { state: 'failed' } });
    expect((await delivery(deliveryIds[0] ?? '')).failure_reason).toMatch(/no longer accepts this supporter's authorisation/);
    expect(await credentialsLeft(pledgeIds[0] ?? '')).toBe(0);
  });

  it('says the access was revoked when it is revoked between an unknown outcome and the check', async () => {
    const { deliveryIds, supporters, pledgeIds } = await launched(1);
    const id = deliveryIds[0] ?? '';
    await setFaults({ rules: [{ fault: { kind: 'server-error-before-post' }, probability: 1 }] });
    expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'unknown' } });
    await setFaults({ rules: [] });
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: supporters[0]?.username }),
    });

    await dueNow(id);
    expect(await deliverPledge(ctx, id)).toMatchObject({ kind: 'done', record: { state: 'failed' } });
    expect((await delivery(id)).failure_reason).toBe(
      "X no longer accepts this supporter's authorisation (access revoked or expired), so whether an earlier attempt was published cannot be checked",
    );
    expect(await postsBy(supporters[0] as MintedSupporter)).toHaveLength(0);
    expect(await credentialsLeft(pledgeIds[0] ?? '')).toBe(0);
  });

  it('retries with backoff when X refuses connections', async () => {
    const { deliveryIds, supporters } = await launched(1);
    await setFaults({ refuseConnectionsForMs: 1500 });
    const step = await deliverPledge(ctx, deliveryIds[0] ?? '');
    expect(step).toMatchObject({ kind: 'done', record: { state: 'queued', reason: 'X could not be reached (ECONNREFUSED)' } });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await dueNow(deliveryIds[0] ?? '');
    expect(await deliverPledge(ctx, deliveryIds[0] ?? '')).toMatchObject({ kind: 'done', record: { state: 'sent' } });
    expect(await postsBy(supporters[0] as MintedSupporter)).toHaveLength(1);
  });

  it('holds posts beyond the app budget until it renews', async () => {
    const { deliveryIds } = await launched(3);
    const budgeted: DeliveryContext = {
      ...ctx,
      policy: { ...ctx.policy, budgets: new Map([['x', { limit: 2, windowMs: 24 * 3_600_000 }]]) },
    };
    await chorus.ctx.db.deleteFrom('post_budget_spends').execute();
    const states = [];
    for (const id of deliveryIds) states.push((await deliverPledge(budgeted, id)).kind === 'done' ? (await delivery(id)).state : 'none');
    expect(states).toEqual(['sent', 'sent', 'held']);
    expect((await delivery(deliveryIds[2] ?? '')).next_attempt_at?.getTime()).toBeGreaterThan(Date.now() + 22 * 3_600_000);
    await chorus.ctx.db.deleteFrom('post_budget_spends').execute();
  });

  it("waits for the 24-hour caps' own resets: the app's pauses all of X, an account's holds only its post", async () => {
    const { deliveryIds, supporters } = await launched(3);
    const [first = '', second = '', third = ''] = deliveryIds;
    await setFaults({ outage: { fault: { kind: 'app-daily-cap', resetSeconds: 7200 }, requests: 1 } });
    expect(await deliverPledge(ctx, first)).toMatchObject({ kind: 'done', record: { state: 'held' }, pause: { kind: 'started' } });
    const hold = await chorus.ctx.db.selectFrom('network_holds').selectAll().executeTakeFirstOrThrow();
    expect(hold).toMatchObject({ network: 'x', cause: 'app-daily-cap', probe_delivery_id: first, probes: 0 });
    // At the reset X gave (plus up to a second of jitter), not at the 15-minute window's.
    expect(Math.abs(hold.next_probe_at.getTime() - (Date.now() + 7_200_000))).toBeLessThan(5000);
    expect((await delivery(first)).next_attempt_at).toEqual(hold.next_probe_at);
    // While X is paused another delivery is not even claimed, and X is not asked.
    expect(await deliverPledge(ctx, second)).toEqual({ kind: 'paused' });
    expect(await delivery(second)).toMatchObject({ state: 'queued', attempts: 0 });
    await chorus.ctx.db.deleteFrom('network_holds').execute();

    await setFaults({ outage: { fault: { kind: 'user-daily-cap', resetSeconds: 3600 }, requests: 1 } });
    expect(await deliverPledge(ctx, third)).toMatchObject({ kind: 'done', record: { state: 'held' } });
    expect(Math.abs(((await delivery(third)).next_attempt_at?.getTime() ?? 0) - (Date.now() + 3_600_000))).toBeLessThan(5000);
    expect(await chorus.ctx.db.selectFrom('network_holds').selectAll().execute()).toEqual([]);
    for (const supporter of supporters) expect(await postsBy(supporter)).toHaveLength(0);
  });

  it('refreshes tokens ahead of the launch, and erases the grant of a supporter who revoked access without failing the pledge', async () => {
    serial += 1;
    const supporters = await mintSupporters(
      chorus.sandbox.url,
      chorus.config.X_CLIENT_ID ?? '',
      [`ra${serial}_a`, `ra${serial}_b`, `ra${serial}_c`],
      1,
    );
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 60_000));
    const pledgeIds = await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: supporters[2]?.username }),
    });
    const result = await refreshTokensAheadOfLaunch({ ...chorus.ctx, refreshesPerSecond: 50, stopping: () => false }, campaign);
    expect(result).toEqual({ refreshed: 2, revoked: 1, deferred: 0 });
    const held = await chorus.ctx.db.selectFrom('pledge_credentials').selectAll().where('pledge_id', 'in', pledgeIds).execute();
    expect(held).toHaveLength(2);
    for (const row of held) {
      expect(row.access_expires_at.getTime()).toBeGreaterThan(campaign.launch_at.getTime());
      const accessToken = chorus.ctx.cipher.decrypt(row.key_id, row.access_token);
      expect(accessToken).not.toBe('');
      expect(supporters.map((s) => s.accessToken)).not.toContain(accessToken);
    }
    // The refused grant is erased, but the pledge is not failed: a renewal before the launch brings the post back.
    expect(
      await chorus.ctx.db
        .selectFrom('deliveries')
        .select('id')
        .where('pledge_id', '=', pledgeIds[2] ?? '')
        .execute(),
    ).toEqual([]);
    expect(
      (
        await chorus.ctx.db
          .selectFrom('pledges')
          .select('state')
          .where('id', '=', pledgeIds[2] ?? '')
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('active');
    // A second pass finds nothing left to do.
    expect(await refreshTokensAheadOfLaunch({ ...chorus.ctx, refreshesPerSecond: 50, stopping: () => false }, campaign)).toEqual({
      refreshed: 0,
      revoked: 0,
      deferred: 0,
    });
  });
});
