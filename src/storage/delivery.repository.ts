import { sql } from 'kysely';
import type { DeliveryState } from '../domain/delivery-state.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { XMode } from '../networks/x/x-mode.ts';
import type { Db } from './database.ts';

/**
 * Makes a delivery for each pledge that has none yet, and returns the ids of those still
 * waiting to be sent, so a launch job that resumes after a crash enqueues them again.
 */
export async function createDeliveries(db: Db, campaignId: string, pledgeIds: readonly string[]): Promise<string[]> {
  if (pledgeIds.length === 0) return [];
  await db
    .insertInto('deliveries')
    .values(pledgeIds.map((pledgeId) => ({ pledge_id: pledgeId, campaign_id: campaignId })))
    .onConflict((oc) => oc.column('pledge_id').doNothing())
    .execute();
  const rows = await db.selectFrom('deliveries').select('id').where('pledge_id', 'in', pledgeIds).where('state', '=', 'queued').execute();
  return rows.map((row) => row.id);
}

/** What a worker needs to post one claimed delivery. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly campaignId: string;
  readonly pledgeId: string;
  readonly network: NetworkId;
  readonly text: string;
  readonly attempts: number;
  readonly networkUserId: string;
  /** The account's server (a Mastodon instance's origin), for networks of many servers. */
  readonly server: string | null;
  readonly xMode: XMode;
}

/**
 * Claims a queued delivery for this worker: a conditional update that only one caller can
 * win. Undefined when it was already claimed or finished, so a duplicated job posts nothing.
 */
export async function claimDelivery(db: Db, deliveryId: string): Promise<ClaimedDelivery | undefined> {
  const claimed = await db
    .updateTable('deliveries')
    .set((eb) => ({ state: 'claimed', claimed_at: new Date(), attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('id', '=', deliveryId)
    .where('state', '=', 'queued')
    .returning(['id', 'campaign_id', 'pledge_id', 'attempts'])
    .executeTakeFirst();
  if (claimed === undefined) return undefined;
  const pledge = await db
    .selectFrom('pledges')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .innerJoin('campaigns', 'campaigns.id', 'pledges.campaign_id')
    .select(['pledges.text', 'social_accounts.network', 'social_accounts.network_user_id', 'social_accounts.server', 'campaigns.x_mode'])
    .where('pledges.id', '=', claimed.pledge_id)
    .executeTakeFirstOrThrow();
  return {
    id: claimed.id,
    campaignId: claimed.campaign_id,
    pledgeId: claimed.pledge_id,
    network: pledge.network,
    text: pledge.text,
    attempts: claimed.attempts,
    networkUserId: pledge.network_user_id,
    server: pledge.server,
    xMode: pledge.x_mode,
  };
}

/** What became of a claimed delivery, as stored. */
export type DeliveryRecord =
  | { readonly state: 'sent'; readonly postId: string }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'unknown'; readonly reason: string }
  /** Give it back to the queue: nothing was posted and it will be tried again. */
  | { readonly state: 'queued'; readonly reason: string };

/** Writes the outcome of a claimed delivery. */
export async function recordDelivery(db: Db, deliveryId: string, record: DeliveryRecord): Promise<void> {
  const now = new Date();
  const base = { state: record.state, updated_at: now } as const;
  switch (record.state) {
    case 'sent':
      await update({ ...base, network_post_id: record.postId, sent_at: now, failure_reason: null });
      return;
    case 'failed':
    case 'unknown':
    case 'queued':
      await update({ ...base, failure_reason: record.reason });
      return;
  }

  async function update(values: { state: DeliveryState; updated_at: Date; network_post_id?: string; sent_at?: Date; failure_reason: string | null }) {
    await db.updateTable('deliveries').set(values).where('id', '=', deliveryId).where('state', '=', 'claimed').execute();
  }
}

export type DeliveryCounts = Record<DeliveryState, number>;

/** How many of a campaign's deliveries are in each state. */
export async function countDeliveries(db: Db, campaignId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['state', sql<number>`count(*)`.as('count')])
    .where('campaign_id', '=', campaignId)
    .groupBy('state')
    .execute();
  const counts: DeliveryCounts = { queued: 0, claimed: 0, sent: 0, failed: 0, unknown: 0 };
  for (const row of rows) counts[row.state] = row.count;
  return counts;
}

/**
 * Marks a launching campaign launched once every pledge was handed out and no delivery is
 * waiting or in flight. Safe to call after each delivery: only the last one wins.
 */
export async function completeLaunchIfDone(db: Db, campaignId: string): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({ state: 'launched', ended_at: new Date(), updated_at: new Date() })
    .where('id', '=', campaignId)
    .where('state', '=', 'launching')
    .where('release_enqueued_at', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('deliveries').select(sql.lit(1).as('one')).where('deliveries.campaign_id', '=', campaignId).where('deliveries.state', 'in', ['queued', 'claimed']),
        ),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
