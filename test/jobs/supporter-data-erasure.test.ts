import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import { readCampaignSeries } from '../../src/storage/campaign-minute.repository.ts';
import { findCampaign } from '../../src/storage/campaign.repository.ts';
import type { Campaign, Db } from '../../src/storage/database.ts';
import { countDeliveries } from '../../src/storage/delivery.repository.ts';
import { listNetworkTallies } from '../../src/storage/network-tally.repository.ts';
import { insertPendingPledge } from '../../src/storage/pending-pledge.repository.ts';
import { recordPledge, withdrawPledge } from '../../src/storage/pledge.repository.ts';
import { readCampaignNumbers } from '../../src/use-cases/campaign-views/campaign-numbers.ts';
import { insertCollectingCampaign, mintSupporters, type MintedSupporter } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

/** Every row of every table of ours, as text: where a supporter's handle, name or text could still be. */
async function everyRow(db: Db): Promise<string> {
  const tables = await db
    .selectFrom('information_schema.tables' as never)
    .select(sql<string>`table_name`.as('name'))
    .where(sql<boolean>`table_schema = 'public' and table_type = 'BASE TABLE'`)
    .execute();
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['pledges', 'social_accounts', 'pending_pledges', 'deliveries']));
  const dumps = await Promise.all(
    tables.map(async ({ name }) => {
      const { rows } = await sql<{ dump: string | null }>`select string_agg(t::text, E'\n') as dump from ${sql.table(name)} t`.execute(db);
      return rows[0]?.dump ?? '';
    }),
  );
  return dumps.join('\n');
}

describe("supporters' personal data, erased by the workers a set time after the campaign ended", () => {
  let chorus: TestChorus;
  let db: Db;

  beforeAll(async () => {
    // The erasure looks every second here (its first run is at start, like every worker's).
    chorus = await startTestChorus({
      listen: false,
      env: { SUPPORTER_DATA_ERASURE_SWEEP_SECONDS: '1', SUPPORTER_DATA_RETENTION_DAYS: '30' },
    });
    db = chorus.ctx.db;
  });
  afterAll(async () => {
    await chorus.close();
  });

  const link = 'https://example.org/ourhealthheroes';

  function pledge(campaign: Campaign, supporter: MintedSupporter, displayName: string, text: string, shownPublicly: boolean) {
    return recordPledge(db, {
      campaignId: campaign.id,
      network: 'x',
      profile: { networkUserId: supporter.id, handle: supporter.username, displayName, followers: 100 + supporter.username.length },
      text,
      variantIndex: null,
      credentials: sealTokens(chorus.ctx.cipher, {
        accessToken: supporter.accessToken,
        refreshToken: supporter.refreshToken,
        expiresAt: new Date(Date.now() + supporter.expiresInSeconds * 1000),
        scopes: 'tweet.read tweet.write users.read offline.access',
      }),
      manageTokenHash: randomBytes(16).toString('hex'),
      shownPublicly,
    });
  }

  function holdPending(campaign: Campaign, handle: string, expiresAt: Date) {
    return insertPendingPledge(
      db,
      {
        campaign_id: campaign.id,
        network: 'x',
        variant_index: null,
        network_user_id: `pending-${handle}`,
        handle,
        display_name: `${handle} pending`,
        followers: 5,
        server: null,
        key_id: 'k1',
        access_token: Buffer.from('sealed'),
        refresh_token: null,
        access_expires_at: new Date(Date.now() + 3600_000),
        scopes: '',
        expires_at: expiresAt,
      },
      undefined,
    );
  }

  /** Everything anonymous a campaign keeps: what must read the same after the erasure. */
  async function totalsOf(campaignId: string) {
    const campaign = await findCampaign(db, campaignId);
    return {
      supporters: campaign?.supporter_count,
      reach: campaign?.reach,
      byNetwork: await listNetworkTallies(db, campaignId),
      deliveries: await countDeliveries(db, campaignId),
      series: (await readCampaignSeries(db, campaignId)).map((p) => [p.supporters, p.reach]),
    };
  }

  it('erases handles, names, texts, post ids and pending pledges of a campaign ended 31 days ago, keeps every total, and leaves younger campaigns alone', async () => {
    const [ann, bob, gus, sam, rae] = await mintSupporters(chorus.sandbox.url, 'chorus-test', [
      'erase_ann',
      'erase_bob',
      'gone_gus',
      'shared_sam',
      'recent_rae',
    ]);
    if (ann === undefined || bob === undefined || gus === undefined || sam === undefined || rae === undefined) throw new Error('minting');

    // Campaign A launches through the workers, to the sandbox X: a second after the pledges below are in.
    const a = await insertCollectingCampaign(db, new Date(Date.now() + 3_600_000), 1);
    await pledge(a, ann, 'Ann Erasable', `Ann thanks the porters on A ${link} #OurHealthHeroes`, true);
    await pledge(a, bob, 'Bob Erasable', `Bob thanks the cleaners on A ${link} #OurHealthHeroes`, false);
    await pledge(a, sam, 'Sam Shared', `Sam thanks the nurses on A ${link} #OurHealthHeroes`, true);
    const gone = await pledge(a, gus, 'Gus Erasable', `Gus withdrew from A ${link} #OurHealthHeroes`, true);
    if (gone.kind === 'not-collecting') throw new Error('A should collect');
    expect(await withdrawPledge(db, gone.pledge)).toBe('withdrawn');
    await holdPending(a, 'pending_pia', new Date(Date.now() + 3600_000));

    // Campaign B still collects; Sam supports it too, and two grants wait on its review page, one expired.
    const b = await insertCollectingCampaign(db, new Date(Date.now() + 86_400_000), 1);
    await pledge(b, sam, 'Sam Shared', `Sam thanks the nurses on B ${link} #OurHealthHeroes`, false);
    await holdPending(b, 'expired_eve', new Date(Date.now() - 60_000));
    await holdPending(b, 'waiting_wes', new Date(Date.now() + 3600_000));

    // Campaign C was cancelled 5 days ago: well within its retention time.
    const c = await insertCollectingCampaign(db, new Date(Date.now() + 86_400_000), 1);
    await pledge(c, rae, 'Rae Recent', `Rae thanks the porters on C ${link} #OurHealthHeroes`, true);
    await db
      .updateTable('campaigns')
      .set({ state: 'cancelled', ended_at: new Date(Date.now() - 5 * 86_400_000) })
      .where('id', '=', c.id)
      .execute();

    await db
      .updateTable('campaigns')
      .set({ launch_at: new Date(Date.now() + 1000) })
      .where('id', '=', a.id)
      .execute();
    await chorus.startWorkers();
    await waitFor(
      async () => (await findCampaign(db, a.id))?.state,
      (state) => state === 'launched',
    );
    const before = await totalsOf(a.id);
    expect(before).toMatchObject({ supporters: 3, deliveries: { sent: 3 } });
    const postIds = (await db.selectFrom('deliveries').select('network_post_id').where('campaign_id', '=', a.id).execute()).map(
      (d) => d.network_post_id ?? '',
    );
    expect(postIds).toHaveLength(3);

    // 31 days pass.
    await db
      .updateTable('campaigns')
      .set({ ended_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', a.id)
      .execute();
    await waitFor(
      async () => (await findCampaign(db, a.id))?.supporters_erased_at ?? null,
      (erasedAt) => erasedAt !== null,
    );

    const rows = await everyRow(db);
    for (const gonePiece of [
      'erase_ann',
      'erase_bob',
      'gone_gus',
      'Ann Erasable',
      'Bob Erasable',
      'Gus Erasable',
      'thanks the porters on A',
      'thanks the cleaners on A',
      'thanks the nurses on A',
      'withdrew from A',
      'pending_pia',
      'expired_eve',
      ...postIds,
    ]) {
      expect(rows, gonePiece).not.toContain(gonePiece);
    }
    const accountsLeft = await db
      .selectFrom('social_accounts')
      .select('network_user_id')
      .where('network_user_id', 'in', [ann.id, bob.id, gus.id, sam.id, rae.id])
      .orderBy('handle')
      .execute();
    expect(accountsLeft.map((row) => row.network_user_id)).toEqual([rae.id, sam.id]);
    expect(await db.selectFrom('deliveries').select('id').where('campaign_id', '=', a.id).execute()).toEqual([]);

    // The totals are the campaign's record: the same supporters, reach, per network, per minute, posts sent.
    expect(await totalsOf(a.id)).toEqual(before);
    expect(await readCampaignNumbers(db, a.slug)).toMatchObject({
      supporters: 3,
      reach: before.reach,
      topSupporters: [],
      recentSupporters: [],
      deliveries: { sent: 3, failed: 0 },
    });

    // Sam's account stays for B, whose pledge is whole; C and its supporter are untouched; Wes still has his review page.
    expect(rows).toContain('thanks the nurses on B');
    expect(rows).toContain('Sam Shared');
    expect(rows).toContain('thanks the porters on C');
    expect(rows).toContain('Rae Recent');
    expect(rows).toContain('waiting_wes');
    expect(await findCampaign(db, c.id)).toMatchObject({ supporters_erased_at: null, supporter_count: 1 });
    expect(await findCampaign(db, b.id)).toMatchObject({ supporters_erased_at: null, supporter_count: 1 });
  });
});
