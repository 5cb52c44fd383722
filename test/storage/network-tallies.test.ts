import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';
import { listNetworkTallies } from '../../src/storage/network-tally.repository.ts';
import { recordPledge, withdrawPledge } from '../../src/storage/pledge.repository.ts';

describe('supporters and reach per network, kept by the database', () => {
  let db: Db;
  let campaignId: string;

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), { max: 2 });
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
      profile: { networkUserId: user, handle: user, displayName: user, followers, ...(network === 'mastodon' ? { server: 'https://example.social' } : {}) },
      text: 'Hello https://example.org',
      variantIndex: null,
      credentials: { keyId: 'k1', accessToken: Buffer.from('a'), refreshToken: null, accessExpiresAt: new Date(Date.now() + 3600_000), scopes: '' },
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

    const campaign = await db.selectFrom('campaigns').select(['supporter_count', 'reach']).where('id', '=', campaignId).executeTakeFirstOrThrow();
    expect(campaign).toEqual({ supporter_count: 2, reach: 450 });
    const server = await sql<{ server: string | null }>`select server from social_accounts where network_user_id = '7@example.social'`.execute(db);
    expect(server.rows[0]?.server).toBe('https://example.social');
  });
});
