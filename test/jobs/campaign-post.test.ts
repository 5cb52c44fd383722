import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPledge } from '../../src/delivery/deliver-pledge.ts';
import { deliveryPolicyFor } from '../../src/delivery/delivery-policy.ts';
import { handOutDeliveries } from '../../src/jobs/hand-out-deliveries.ts';
import { makeCampaignPost } from '../../src/launch/campaign-post.ts';
import { releaseCampaign } from '../../src/launch/release-campaign.ts';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import { saveCampaignAccount } from '../../src/storage/campaign-account.repository.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges, type MintedSupporter } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

describe("the campaign's own X post, made by the launch job in repost mode", () => {
  let chorus: TestChorus;
  let serial = 0;

  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  const releaseContext = () => ({
    ...chorus.ctx,
    policy: deliveryPolicyFor(chorus.ctx),
    handOut: handOutDeliveries(chorus.ctx.queues.deliveries),
  });

  /** A collecting repost-mode campaign with its own X account connected and two X supporters. */
  async function repostCampaign() {
    serial += 1;
    const tag = `${serial}_${Date.now() % 100000}`;
    const [account, ...supporters] = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [
      `co${tag}`,
      `ca${tag}`,
      `cb${tag}`,
    ]);
    if (account === undefined) throw new Error('no campaign account was minted');
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 60_000));
    await chorus.ctx.db.updateTable('campaigns').set({ x_mode: 'repost' }).where('id', '=', campaign.id).execute();
    await saveCampaignAccount(
      chorus.ctx.db,
      campaign.id,
      { networkUserId: account.id, handle: account.username, displayName: account.username, followers: 1000 },
      sealTokens(chorus.ctx.cipher, grantOf(account)),
      {
        action: 'campaign.account-connected',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        actorOrganiserId: null,
        clientIp: null,
      },
    );
    await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);
    return { campaign, account, supporters };
  }

  const postsBy = async (username: string) => (await sandboxPosts(chorus.sandbox.url)).filter((post) => post.username === username);
  const accountRow = (campaignId: string) =>
    chorus.ctx.db.selectFrom('campaign_accounts').selectAll().where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();

  it('posts once when two launch jobs run at the same moment, and every X supporter reposts that post', async () => {
    const { campaign, account, supporters } = await repostCampaign();
    const at = new Date(campaign.launch_at.getTime() + 1);
    const steps = await Promise.all([
      releaseCampaign(releaseContext(), campaign.id, at),
      releaseCampaign(releaseContext(), campaign.id, at),
    ]);
    expect(steps.map((step) => step.kind)).toContain('released');

    const [original, ...more] = await postsBy(account.username);
    expect(more).toEqual([]);
    const row = await accountRow(campaign.id);
    expect(row).toMatchObject({ post_state: 'sent', post_id: original?.id, post_claimed_at: null, access_token: null });

    const deliveries = await chorus.ctx.db.selectFrom('deliveries').select('id').where('campaign_id', '=', campaign.id).execute();
    const delivering = { ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx), random: () => 0 };
    for (const { id } of deliveries) expect(await deliverPledge(delivering, id)).toMatchObject({ kind: 'done', record: { state: 'sent' } });
    const { retweets } = (await (await fetch(new URL('__sandbox/retweets', chorus.sandbox.url))).json()) as {
      retweets: { username: string; tweetId: string }[];
    };
    expect(
      retweets
        .filter((r) => r.tweetId === original?.id)
        .map((r) => r.username)
        .sort(),
    ).toEqual(supporters.map((s) => s.username).sort());
  });

  it('finds the post a launch job made before it died, instead of posting it again', async () => {
    const { campaign, account } = await repostCampaign();
    const startedAt = new Date(Date.now() - 60_000);
    await chorus.ctx.db
      .updateTable('campaigns')
      .set({ state: 'launching', launch_started_at: startedAt })
      .where('id', '=', campaign.id)
      .execute();
    // The dead job's claim, long past its lease, and the post it made before it died.
    const x = await chorus.ctx.networks.load('x');
    const made = await x?.publish(account.accessToken, campaign.message, {
      idempotencyKey: `chorus-campaign-${campaign.id}`,
      account: { networkUserId: account.id, server: null },
    });
    expect(made?.kind).toBe('sent');
    await chorus.ctx.db
      .updateTable('campaign_accounts')
      .set({ post_claimed_at: new Date(Date.now() - 3_600_000), post_attempts: 1 })
      .where('campaign_id', '=', campaign.id)
      .execute();

    const step = await makeCampaignPost({ ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx) }, campaign.id);
    expect(step).toEqual({ kind: 'decided', post: { kind: 'sent', postId: made?.kind === 'sent' ? made.postId : '' } });
    expect(await postsBy(account.username)).toHaveLength(1);
    expect(await accountRow(campaign.id)).toMatchObject({ post_state: 'sent', post_claimed_at: null, access_token: null });
  });

  it('waits for X to post again when its credits ran out, long past the retry window, and pauses X for the dashboard', async () => {
    const { campaign, account } = await repostCampaign();
    // Seven hours into the launch: any retry would be past the 6-hour window and fail the reposts.
    await chorus.ctx.db
      .updateTable('campaigns')
      .set({ state: 'launching', launch_started_at: new Date(Date.now() - 7 * 3_600_000) })
      .where('id', '=', campaign.id)
      .execute();
    const faults = await fetch(new URL('__sandbox/faults', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [], outage: { fault: { kind: 'credits-depleted' }, requests: 1 } }),
    });
    expect(faults.status).toBe(200);
    const context = { ...chorus.ctx, policy: deliveryPolicyFor(chorus.ctx), random: () => 0 };

    const waiting = await makeCampaignPost(context, campaign.id);
    expect(waiting).toMatchObject({ kind: 'come-back' });
    expect(waiting.kind === 'come-back' ? waiting.at.getTime() : 0).toBeGreaterThan(Date.now());
    expect(await accountRow(campaign.id)).toMatchObject({ post_state: 'none', post_claimed_at: null });
    const holds = await chorus.ctx.db.selectFrom('network_holds').selectAll().execute();
    expect(holds).toEqual([expect.objectContaining({ network: 'x', cause: 'out-of-credits', probe_delivery_id: null })]);

    // X has credits again when the launch job comes back: the post is made, once.
    expect(await makeCampaignPost(context, campaign.id)).toMatchObject({ kind: 'decided', post: { kind: 'sent' } });
    expect(await postsBy(account.username)).toHaveLength(1);
    await chorus.ctx.db.deleteFrom('network_holds').execute();
  });
});

function grantOf(account: MintedSupporter) {
  return {
    accessToken: account.accessToken,
    refreshToken: account.refreshToken,
    expiresAt: new Date(Date.now() + account.expiresInSeconds * 1000),
    scopes: 'tweet.read tweet.write users.read offline.access',
  };
}
