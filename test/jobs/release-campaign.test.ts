import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryPolicyFor } from '../../src/delivery/delivery-policy.ts';
import { handOutDeliveries } from '../../src/jobs/hand-out-deliveries.ts';
import { releaseCampaign } from '../../src/launch/release-campaign.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { findCampaign } from '../../src/storage/campaign.repository.ts';
import { recordPledge, type RecordPledgeResult } from '../../src/storage/pledge.repository.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

describe('the launch decision while pledges arrive', () => {
  let chorus: TestChorus;
  let pool: Db;

  beforeAll(async () => {
    chorus = await startTestChorus();
    pool = createDatabase(chorus.config.DATABASE_URL, { max: 12 });
  });
  afterAll(async () => {
    await pool.destroy();
    await chorus.close();
  });

  const pledgeOn = (campaignId: string, user: string): Promise<RecordPledgeResult> =>
    recordPledge(pool, {
      campaignId,
      network: 'x',
      profile: { networkUserId: `${campaignId}-${user}`, handle: user, displayName: user, followers: 10 },
      text: 'Hello https://example.org',
      variantIndex: null,
      credentials: {
        keyId: 'k1',
        accessToken: Buffer.from('a'),
        refreshToken: null,
        accessExpiresAt: new Date(Date.now() + 3600_000),
        scopes: '',
      },
      manageTokenHash: randomBytes(16).toString('hex'),
    });

  it('counts exactly the pledges recorded before it, and every later one is refused', async () => {
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 3600_000), 1000);
    const pledges = Array.from({ length: 60 }, (_, i) => pledgeOn(campaign.id, `racer-${i}`));
    // The launch decides while the pledges are in flight, as if its time had come.
    const launch = releaseCampaign(
      { ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx), handOut: handOutDeliveries(chorus.ctx.queues.deliveries) },
      campaign.id,
      new Date(campaign.launch_at.getTime() + 1),
    );
    const [step, outcomes] = await Promise.all([launch, Promise.all(pledges)]);

    const created = outcomes.filter((outcome) => outcome.kind === 'created').length;
    expect(created + outcomes.filter((outcome) => outcome.kind === 'not-collecting').length).toBe(60);
    expect(step).toEqual({ kind: 'missed-goal', supporters: created, goal: 1000 });
    expect(await findCampaign(chorus.ctx.db, campaign.id)).toMatchObject({
      state: 'missed_goal',
      supporter_count: created,
      reach: created * 10,
    });
    // A pledge after the decision changes nothing.
    expect((await pledgeOn(campaign.id, 'late')).kind).toBe('not-collecting');
    expect((await findCampaign(chorus.ctx.db, campaign.id))?.supporter_count).toBe(created);
  });

  it('spreads the pledges of one campaign over more than one tally row, and the totals add up', async () => {
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 3600_000), 1);
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => pledgeOn(campaign.id, `spread-${i}`)));
    expect(outcomes.every((outcome) => outcome.kind === 'created')).toBe(true);
    const stripes = await chorus.ctx.db
      .selectFrom('campaign_network_tallies')
      .select(['stripe', 'supporters'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    // Concurrent pledges on different connections add to different rows instead of queueing for one.
    expect(stripes.length).toBeGreaterThan(1);
    expect(stripes.reduce((sum, row) => sum + row.supporters, 0)).toBe(60);
    expect(await findCampaign(chorus.ctx.db, campaign.id)).toMatchObject({ supporter_count: 60, reach: 600 });
  });
});
