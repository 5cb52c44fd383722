import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryStates } from '../../src/domain/delivery-state.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import {
  claimDeliveries,
  countDeliveries,
  createDeliveries,
  recordDeliveries,
  type DeliveryCounts,
} from '../../src/storage/delivery.repository.ts';
import { copyOfTemplate, testDatabaseUrl } from '../support/test-database.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';
import { countDeliveriesByNetwork } from '../../src/storage/network-tally.repository.ts';

describe("a campaign's deliveries counted by state, kept by the database", () => {
  let db: Db;

  beforeAll(() => {
    db = createDatabase(testDatabaseUrl(), { max: 12 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** A launching campaign with `pledges` pledges, each with its grant, and their deliveries. */
  async function launchingCampaign(pledges: number, into: Db = db): Promise<{ campaignId: string; deliveryIds: string[] }> {
    const db = into;
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() - 1000));
    const created = await sql<{ id: string }>`
      with accounts as (
        insert into social_accounts (network, network_user_id, handle, display_name, followers, server)
        select case when g % 3 = 0 then 'mastodon' else 'x' end, 'tally-' || ${campaign.id}::text || '-' || g, 'tally' || g, 'Tally ' || g, 1,
               case when g % 3 = 0 then 'https://example.social' end
        from generate_series(1, ${pledges}::int) g
        returning id
      ), pledged as (
        insert into pledges (campaign_id, social_account_id, text, followers, manage_token_hash)
        select ${campaign.id}::uuid, id, 'Hello https://example.org', 1, md5(id::text) from accounts
        returning id
      ), granted as (
        insert into pledge_credentials (pledge_id, key_id, access_token, refresh_token, access_expires_at, scopes)
        select id, 'k1', '\\x00'::bytea, null, now() + interval '2 hours', 'tweet.write' from pledged
      )
      select id from pledged`.execute(db);
    await db.updateTable('campaigns').set({ state: 'launching' }).where('id', '=', campaign.id).execute();
    const deliveryIds = await createDeliveries(
      db,
      campaign.id,
      created.rows.map((row) => row.id),
    );
    return { campaignId: campaign.id, deliveryIds };
  }

  async function countedRowByRow(campaignId: string): Promise<DeliveryCounts> {
    const rows = await db
      .selectFrom('deliveries')
      .select(['state', sql<number>`count(*)::int`.as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('state')
      .execute();
    const counts = Object.fromEntries(deliveryStates.map((state) => [state, 0])) as DeliveryCounts;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  it('follows claims and outcomes written by many connections at once, as a release writes them', async () => {
    const { campaignId, deliveryIds } = await launchingCampaign(600);
    expect(await countDeliveries(db, campaignId)).toMatchObject({ queued: 600, claimed: 0, sent: 0 });

    // Twelve batches of 50 at once: claims, then outcomes of every kind.
    const batches = Array.from({ length: 12 }, (_, i) => deliveryIds.slice(i * 50, i * 50 + 50));
    const claims = await Promise.all(batches.map((batch) => claimDeliveries(db, batch, 60_000)));
    expect(await countDeliveries(db, campaignId)).toMatchObject({ queued: 0, claimed: 600 });
    const later = new Date(Date.now() + 60_000);
    await Promise.all(
      claims.map((results, b) =>
        recordDeliveries(
          db,
          results.map((result, i) => {
            if (result.kind !== 'claimed') throw new Error('every delivery should be claimed');
            const record =
              b === 0 && i < 10
                ? { state: 'failed' as const, reason: 'refused' }
                : b === 1 && i < 5
                  ? { state: 'unknown' as const, reason: 'timed out', nextAttemptAt: later, retryDeadline: later }
                  : b === 2 && i < 3
                    ? { state: 'held' as const, nextAttemptAt: later }
                    : { state: 'sent' as const, postId: `post-${b}-${i}` };
            return { claim: result.delivery, record };
          }),
        ),
      ),
    );

    const counted = await countedRowByRow(campaignId);
    expect(counted).toMatchObject({ sent: 582, failed: 10, unknown: 5, held: 3, queued: 0, claimed: 0 });
    expect(await countDeliveries(db, campaignId)).toEqual(counted);
    // Per network too, as the organiser's results show them.
    const byNetwork = await sql<{ network: string; sent: number; failed: number; unknown: number; pending: number; held: number }>`
      select a.network,
             count(*) filter (where d.state = 'sent')::int as sent, count(*) filter (where d.state = 'failed')::int as failed,
             count(*) filter (where d.state = 'unknown')::int as unknown, count(*) filter (where d.state in ('queued', 'claimed'))::int as pending,
             count(*) filter (where d.state = 'held')::int as held
      from deliveries d join pledges p on p.id = d.pledge_id join social_accounts a on a.id = p.social_account_id
      where d.campaign_id = ${campaignId}::uuid group by a.network order by a.network`.execute(db);
    expect(byNetwork.rows.map((row) => row.network)).toEqual(['mastodon', 'x']);
    expect(await countDeliveriesByNetwork(db, campaignId)).toEqual(byNetwork.rows);
    // The writes went to more than one stripe, and still add up.
    const stripes = await db
      .selectFrom('campaign_delivery_tallies')
      .select('stripe')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .execute();
    expect(stripes.length).toBeGreaterThan(1);
  });

  it("writes a delivery's claim and its outcome without touching an index (HOT updates)", async () => {
    // A database of its own: the table's statistics then count this work alone, and no other
    // test's transaction holds back the pruning of this one's old row versions.
    const scratch = await copyOfTemplate('chorus_hot');
    const own = createDatabase(scratch.url, { max: 1 });
    try {
      const { deliveryIds } = await launchingCampaign(200, own);
      // The claim and the outcome in transactions of their own, as a worker writes them.
      const claimed = await claimDeliveries(own, deliveryIds, 60_000);
      await recordDeliveries(
        own,
        claimed.map((result, i) => {
          if (result.kind !== 'claimed') throw new Error('every delivery should be claimed');
          return { claim: result.delivery, record: { state: 'sent' as const, postId: `hot-${i}` } };
        }),
      );
      await sql`select pg_stat_force_next_flush()`.execute(own);
      const counts = await sql<{ updates: number; hot: number }>`
        select n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables where relname = 'deliveries'`.execute(own);
      expect(counts.rows[0]).toEqual({ updates: 400, hot: 400 });
    } finally {
      await own.destroy();
      await scratch.drop();
    }
  });

  it('drops a deleted delivery from the count, and goes with its campaign', async () => {
    const { campaignId, deliveryIds } = await launchingCampaign(5);
    await db
      .deleteFrom('deliveries')
      .where('id', '=', deliveryIds[0] ?? '')
      .execute();
    expect(await countDeliveries(db, campaignId)).toMatchObject({ queued: 4 });
    await db.deleteFrom('campaigns').where('id', '=', campaignId).execute();
    const left = await db.selectFrom('campaign_delivery_tallies').select('state').where('campaign_id', '=', campaignId).execute();
    expect(left).toEqual([]);
  });
});
