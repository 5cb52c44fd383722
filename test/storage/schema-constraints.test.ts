import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-database.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';

describe('the schema keeps the data honest', () => {
  let db: Db;
  let campaignId: string;
  let accountId: string;

  beforeAll(async () => {
    db = createDatabase(testDatabaseUrl(), { max: 2 });
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3600_000), 1);
    campaignId = campaign.id;
    const account = await db
      .insertInto('social_accounts')
      .values({ network: 'x', network_user_id: randomBytes(4).toString('hex'), handle: 'h', display_name: 'H', followers: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    accountId = account.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  const pledge = () => ({
    campaign_id: campaignId,
    social_account_id: accountId,
    text: 'Hello https://example.org',
    variant_index: null,
    followers: 1,
    manage_token_hash: randomBytes(16).toString('hex'),
  });

  it('allows one active pledge per account per campaign, and a new one after a withdrawal', async () => {
    const first = await db.insertInto('pledges').values(pledge()).returning('id').executeTakeFirstOrThrow();
    await expect(db.insertInto('pledges').values(pledge()).execute()).rejects.toMatchObject({ code: '23505' });
    await db.updateTable('pledges').set({ state: 'withdrawn' }).where('id', '=', first.id).execute();
    await expect(db.insertInto('pledges').values(pledge()).execute()).resolves.toBeDefined();
  });

  it('refuses states outside the checked lists', async () => {
    await expect(sql`update campaigns set state = 'paused' where id = ${campaignId}`.execute(db)).rejects.toMatchObject({ code: '23514' });
    await expect(
      sql`insert into social_accounts (network, network_user_id, handle, display_name) values ('myspace', '1', 'a', 'b')`.execute(db),
    ).rejects.toMatchObject({
      code: '23514',
    });
  });

  it("refuses a sent delivery without the network's post id, and a pledge of a campaign that does not exist", async () => {
    const p = await db.selectFrom('pledges').select('id').where('state', '=', 'active').executeTakeFirstOrThrow();
    await expect(
      db.insertInto('deliveries').values({ pledge_id: p.id, campaign_id: campaignId, network: 'x', state: 'sent' }).execute(),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      db
        .insertInto('pledges')
        .values({ ...pledge(), campaign_id: '00000000-0000-0000-0000-000000000000' })
        .execute(),
    ).rejects.toMatchObject({ code: '23503' });
  });
});
