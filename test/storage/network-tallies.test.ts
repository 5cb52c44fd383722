import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-database.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';
import { readCampaignSeries } from '../../src/storage/campaign-minute.repository.ts';
import { findCampaign } from '../../src/storage/campaign.repository.ts';
import { listNetworkTallies } from '../../src/storage/network-tally.repository.ts';
import { recordPledge, withdrawPledge } from '../../src/storage/pledge.repository.ts';

describe('supporters and reach per network, kept by the database', () => {
  let db: Db;
  let campaignId: string;

  beforeAll(async () => {
    db = createDatabase(testDatabaseUrl(), { max: 2 });
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3600_000), 1, ['x', 'mastodon', 'linkedin']);
    campaignId = campaign.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  const pledge = (network: 'x' | 'mastodon', user: string, followers: number) =>
    recordPledge(db, {
      campaignId,
      network,
      profile: {
        networkUserId: user,
        handle: user,
        displayName: user,
        followers,
        ...(network === 'mastodon' ? { server: 'https://example.social' } : {}),
      },
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

  it('follows new pledges, a supporter whose followers changed, and withdrawals', async () => {
    await pledge('x', 'x-1', 100);
    await pledge('x', 'x-2', 50);
    const toot = await pledge('mastodon', '7@example.social', 30);
    expect(await listNetworkTallies(db, campaignId)).toEqual([
      { network: 'mastodon', supporters: 1, reach: 30 },
      { network: 'x', supporters: 2, reach: 150 },
    ]);

    await pledge('x', 'x-1', 400);
    if (toot.kind === 'not-collecting') throw new Error('the campaign should be collecting');
    expect(await withdrawPledge(db, toot.pledge)).toBe('withdrawn');
    expect(await listNetworkTallies(db, campaignId)).toEqual([{ network: 'x', supporters: 2, reach: 450 }]);

    expect(await findCampaign(db, campaignId)).toMatchObject({ supporter_count: 2, reach: 450 });
    // The dashboard's chart ends where the totals are.
    expect((await readCampaignSeries(db, campaignId)).at(-1)).toMatchObject({ supporters: 2, reach: 450 });
    const server = await sql<{
      server: string | null;
    }>`select server from social_accounts where network_user_id = '7@example.social'`.execute(db);
    expect(server.rows[0]?.server).toBe('https://example.social');
  });

  it('counts a bulk insert of many pledges at once, as the benchmarks seed them', async () => {
    const bulk = await insertCollectingCampaign(db, new Date(Date.now() + 3600_000), 1, ['x', 'mastodon']);
    await sql`
      with accounts as (
        insert into social_accounts (network, network_user_id, handle, display_name, followers)
        select case when g % 3 = 0 then 'mastodon' else 'x' end, 'bulk-' || ${bulk.id}::text || '-' || g, 'bulk' || g, 'Bulk ' || g, g
        from generate_series(1, 3000) g
        returning id, followers
      )
      insert into pledges (campaign_id, social_account_id, text, followers, manage_token_hash)
      select ${bulk.id}::uuid, id, 'Hello https://example.org', followers, md5(id::text) from accounts`.execute(db);
    const counted = await sql<{ network: string; supporters: number; reach: number }>`
      select a.network, count(*)::int as supporters, sum(p.followers)::int as reach
      from pledges p join social_accounts a on a.id = p.social_account_id
      where p.campaign_id = ${bulk.id}::uuid group by a.network order by a.network`.execute(db);
    expect(counted.rows.map((r) => r.supporters)).toEqual([1000, 2000]);
    expect(await listNetworkTallies(db, bulk.id)).toEqual(counted.rows);
    expect((await readCampaignSeries(db, bulk.id)).at(-1)).toMatchObject({ supporters: 3000, reach: (3000 * 3001) / 2 });
  });

  it('takes pledges and withdrawals at the same time without a deadlock, and the tallies match the pledges', async () => {
    const busy = await insertCollectingCampaign(db, new Date(Date.now() + 3600_000), 1, ['x']);
    const pool = createDatabase(testDatabaseUrl(), { max: 12 });
    try {
      const pledgeOn = (user: string) =>
        recordPledge(pool, {
          campaignId: busy.id,
          network: 'x',
          profile: { networkUserId: `${busy.id}-${user}`, handle: user, displayName: user, followers: 10 },
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
      const first = await Promise.all(Array.from({ length: 20 }, (_, i) => pledgeOn(`first-${i}`)));
      const outcomes = await Promise.all([
        ...first.map((made) => {
          if (made.kind === 'not-collecting') throw new Error('the campaign should be collecting');
          return withdrawPledge(pool, made.pledge);
        }),
        ...Array.from({ length: 20 }, (_, i) => pledgeOn(`second-${i}`).then((made) => made.kind)),
      ]);
      expect(outcomes.filter((o) => o === 'withdrawn')).toHaveLength(20);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(20);
      expect(await listNetworkTallies(db, busy.id)).toEqual([{ network: 'x', supporters: 20, reach: 200 }]);
      expect(await findCampaign(db, busy.id)).toMatchObject({ supporter_count: 20, reach: 200 });
    } finally {
      await pool.destroy();
    }
  });
});
