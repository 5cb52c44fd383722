import type { Queue } from 'bullmq';
import { isGoalMet } from '../domain/goal.ts';
import { eraseCampaignCredentials } from '../storage/credentials.repository.ts';
import { readCampaignTotals } from '../storage/campaign.repository.ts';
import type { Db } from '../storage/database.ts';
import { completeLaunchIfDone, createDeliveries } from '../storage/delivery.repository.ts';
import { pageActivePledgeIds } from '../storage/pledge.repository.ts';
import { DELIVERY_BATCH_SIZE, deliveryBatchJobId, type DeliveryJobData } from './queues.ts';

/** What a launch job did; the worker turns `not-yet` into a delayed retry. */
export type ReleaseStep =
  | { readonly kind: 'not-yet'; readonly launchAt: Date }
  | { readonly kind: 'missed-goal'; readonly supporters: number; readonly goal: number }
  | { readonly kind: 'released'; readonly enqueued: number }
  /** The worker is shutting down: the cursor is saved and another worker carries on from it. */
  | { readonly kind: 'interrupted'; readonly enqueued: number }
  | { readonly kind: 'nothing-to-do'; readonly reason: string };

export interface ReleaseContext {
  readonly db: Db;
  readonly deliveries: Queue<DeliveryJobData>;
  /** Pledges read and enqueued per round trip. */
  readonly pageSize?: number;
  /** Checked between pages: true when the worker is shutting down. */
  readonly stopping?: () => boolean;
}

/**
 * Runs a campaign's launch: checks the goal at the launch time, then pages the pledges out
 * of Postgres with a keyset cursor and enqueues their deliveries in bulk, saving the cursor
 * after each page so that a launch job that dies resumes where it stopped.
 */
export async function releaseCampaign(ctx: ReleaseContext, campaignId: string, now: Date = new Date()): Promise<ReleaseStep> {
  const decision = await decideLaunch(ctx.db, campaignId, now);
  switch (decision.kind) {
    case 'launching':
      return fanOut(ctx, campaignId, decision.cursor);
    case 'missed-goal':
      await eraseCampaignCredentials(ctx.db, campaignId);
      return decision;
    case 'not-yet':
    case 'nothing-to-do':
      return decision;
  }
}

type LaunchDecision =
  | { readonly kind: 'launching'; readonly cursor: string | null }
  | Extract<ReleaseStep, { kind: 'not-yet' | 'missed-goal' | 'nothing-to-do' }>;

// The goal check and the move out of `collecting` happen under the campaign's row lock, which
// waits for every pledge and withdrawal holding its share lock, so the count checked is the count released.
function decideLaunch(db: Db, campaignId: string, now: Date): Promise<LaunchDecision> {
  return db.transaction().execute(async (trx): Promise<LaunchDecision> => {
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['state', 'launch_at', 'goal', 'release_cursor', 'release_enqueued_at'])
      .where('id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (campaign === undefined) return { kind: 'nothing-to-do', reason: 'the campaign no longer exists' };
    switch (campaign.state) {
      case 'launching':
        return campaign.release_enqueued_at === null
          ? { kind: 'launching', cursor: campaign.release_cursor }
          : { kind: 'nothing-to-do', reason: 'every pledge was already handed out' };
      case 'collecting':
        break;
      case 'draft':
      case 'launched':
      case 'missed_goal':
      case 'cancelled':
        return { kind: 'nothing-to-do', reason: `the campaign is ${campaign.state}` };
    }
    if (campaign.launch_at.getTime() > now.getTime()) return { kind: 'not-yet', launchAt: campaign.launch_at };

    // Counted after the lock, in a statement of its own: it sees every pledge that held the row.
    const { supporter_count: supporters } = await readCampaignTotals(trx, campaignId);
    if (!isGoalMet(supporters, campaign.goal)) {
      await trx
        .updateTable('campaigns')
        .set({ state: 'missed_goal', ended_at: now, updated_at: now })
        .where('id', '=', campaignId)
        .execute();
      return { kind: 'missed-goal', supporters, goal: campaign.goal };
    }
    await trx
      .updateTable('campaigns')
      .set({ state: 'launching', launch_started_at: now, updated_at: now })
      .where('id', '=', campaignId)
      .execute();
    return { kind: 'launching', cursor: null };
  });
}

async function fanOut(ctx: ReleaseContext, campaignId: string, startAfter: string | null): Promise<ReleaseStep> {
  const pageSize = ctx.pageSize ?? 500;
  // The first page is small so that the first posts leave while the rest are still handed out.
  let nextPageSize = Math.min(pageSize, 2 * DELIVERY_BATCH_SIZE);
  let cursor = startAfter;
  let enqueued = 0;
  for (;;) {
    if (ctx.stopping?.() === true) return { kind: 'interrupted', enqueued };
    const pledgeIds = await pageActivePledgeIds(ctx.db, campaignId, cursor, nextPageSize);
    nextPageSize = pageSize;
    if (pledgeIds.length === 0) break;
    const deliveryIds = await createDeliveries(ctx.db, campaignId, pledgeIds);
    const batches: string[][] = [];
    for (let i = 0; i < deliveryIds.length; i += DELIVERY_BATCH_SIZE) batches.push(deliveryIds.slice(i, i + DELIVERY_BATCH_SIZE));
    await ctx.deliveries.addBulk(
      batches.map((batch) => ({ name: 'deliver', data: { deliveryIds: batch }, opts: { jobId: deliveryBatchJobId(batch[0] ?? '') } })),
    );
    enqueued += deliveryIds.length;
    cursor = pledgeIds.at(-1) ?? cursor;
    await ctx.db.updateTable('campaigns').set({ release_cursor: cursor }).where('id', '=', campaignId).execute();
  }
  await ctx.db.updateTable('campaigns').set({ release_enqueued_at: new Date() }).where('id', '=', campaignId).execute();
  // Deliveries that finished before the last page was handed out could not close the launch themselves.
  await completeLaunchIfDone(ctx.db, campaignId);
  return { kind: 'released', enqueued };
}
