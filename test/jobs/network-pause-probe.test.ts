import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPledge, type DeliveryContext } from '../../src/delivery/deliver-pledge.ts';
import { deliveryPolicyFor } from '../../src/delivery/delivery-policy.ts';
import { wakeDeliveriesAfterPause } from '../../src/delivery/wake-deliveries-after-pause.ts';
import { handOutDeliveries } from '../../src/jobs/hand-out-deliveries.ts';
import { deliveryJobId } from '../../src/jobs/queues.ts';
import { sweepForLostJobs, type RecoverySweepContext } from '../../src/jobs/recovery-sweep.ts';
import { releaseCampaign } from '../../src/launch/release-campaign.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges, type MintedSupporter } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// The recovery sweep's part in a network's pause, on a database of this file's own: which deliveries
// wait is a question about every launching campaign, so no other file's may be there.
describe("a paused network's probe, kept going by the recovery sweep", () => {
  let chorus: TestChorus;
  let ctx: DeliveryContext;
  let sweep: Omit<RecoverySweepContext, 'graceMs'>;

  beforeAll(async () => {
    chorus = await startTestChorus();
    ctx = { ...chorus.ctx, policy: { ...deliveryPolicyFor(chorus.ctx), pauseProbe: { baseMs: 1000, capMs: 4000 } }, random: () => 0 };
    sweep = { db: chorus.ctx.db, launches: chorus.ctx.queues.launches, deliveries: chorus.ctx.queues.deliveries, horizonMs: 2000 };
  });
  afterAll(async () => {
    await chorus.close();
  });

  const setFaults = async (body: object) => {
    const response = await fetch(new URL('__sandbox/faults', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [], ...body }),
    });
    expect(response.status).toBe(200);
  };
  const postsBy = async (supporter: MintedSupporter) =>
    (await sandboxPosts(chorus.sandbox.url)).filter((post) => post.authorId === supporter.id);
  const holds = () => chorus.ctx.db.selectFrom('network_holds').selectAll().execute();

  it('gives the pause a new probe when its probe fails for its own reasons, and wakes the rest when X posts again', async () => {
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', ['vp_a', 'vp_b', 'vp_c']);
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 60_000));
    const pledgeIds = await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);
    await releaseCampaign(
      { ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx), handOut: handOutDeliveries(chorus.ctx.queues.deliveries) },
      campaign.id,
      new Date(campaign.launch_at.getTime() + 1),
    );
    const rows = await chorus.ctx.db.selectFrom('deliveries').select(['id', 'pledge_id']).where('campaign_id', '=', campaign.id).execute();
    const [first = '', second = '', third = ''] = pledgeIds.map((pledgeId) => rows.find((row) => row.pledge_id === pledgeId)?.id ?? '');

    await setFaults({ outage: { fault: { kind: 'credits-depleted' }, requests: 1 } });
    expect(await deliverPledge(ctx, first)).toMatchObject({ kind: 'done', record: { state: 'held' }, pause: { kind: 'started' } });
    expect(await deliverPledge(ctx, second)).toEqual({ kind: 'paused' });

    // The probe's supporter revokes access: when its probe is due, it fails for good, and the pause stays.
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: supporters[0]?.username }),
    });
    await chorus.ctx.db
      .updateTable('network_holds')
      .set({ next_probe_at: new Date(Date.now() - 1000) })
      .execute();
    await chorus.ctx.db.updateTable('deliveries').set({ next_attempt_at: null }).where('id', '=', first).execute();
    expect(await deliverPledge(ctx, first)).toMatchObject({ kind: 'done', record: { state: 'failed' } });
    expect(await holds()).toEqual([expect.objectContaining({ probe_delivery_id: first })]);

    // The sweep gives the pause a new probe, with a job of its own, and puts back no job for the delivery that waits.
    expect((await sweepForLostJobs({ ...sweep, graceMs: 1000 })).probes).toBe(1);
    const probe = (await holds())[0]?.probe_delivery_id ?? '';
    expect([second, third]).toContain(probe);
    const waiting = probe === second ? third : second;
    expect(await chorus.ctx.queues.deliveries.getJobState(deliveryJobId(probe))).not.toBe('unknown');
    expect(await chorus.ctx.queues.deliveries.getJobState(deliveryJobId(waiting))).toBe('unknown');

    // X posts again: the new probe's post ends the pause, and the delivery that waited is handed out and posted.
    expect(await deliverPledge(ctx, probe)).toMatchObject({ kind: 'done', record: { state: 'sent' }, pause: { kind: 'ended' } });
    expect(await holds()).toEqual([]);
    const handedOut: string[] = [];
    expect(
      await wakeDeliveriesAfterPause(chorus.ctx.db, 'x', async (ids) => {
        handedOut.push(...ids);
      }),
    ).toBe(1);
    expect(handedOut).toEqual([waiting]);
    expect(await deliverPledge(ctx, waiting)).toMatchObject({ kind: 'done', record: { state: 'sent' } });
    expect(await postsBy(supporters[0] as MintedSupporter)).toHaveLength(0);
    for (const supporter of supporters.slice(1)) expect(await postsBy(supporter)).toHaveLength(1);
  });

  it('drops a pause that nothing waits on once it is past due, and keeps one within its grace', async () => {
    const old = new Date(Date.now() - 60_000);
    await chorus.ctx.db
      .insertInto('network_holds')
      .values({
        network: 'x',
        cause: 'out-of-credits',
        reason: 'test',
        since: old,
        next_probe_at: old,
        probes: 0,
        probe_delivery_id: null,
        updated_at: old,
      })
      .execute();
    // Within its grace the pause stays: the campaign's own post (repost mode), its prober, comes back about then.
    await sweepForLostJobs({ ...sweep, graceMs: 120_000 });
    expect(await holds()).toHaveLength(1);
    expect((await sweepForLostJobs({ ...sweep, graceMs: 1000 })).probes).toBe(1);
    expect(await holds()).toEqual([]);
  });
});
