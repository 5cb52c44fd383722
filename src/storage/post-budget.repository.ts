import { sql } from 'kysely';
import { budgetBucketStart, budgetRenewsAt, budgetWindowStart, type PostBudget } from '../domain/post-budget.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db } from './database.ts';

/** A post taken from the budget, or when the budget has room again. */
export type BudgetReservation =
  { readonly kind: 'reserved'; readonly bucketStart: Date } | { readonly kind: 'exhausted'; readonly renewsAt: Date };

/**
 * Takes `count` posts from the network's budget, shared by every worker: the count and the
 * increment happen under one transaction-scoped advisory lock per network, taken once per batch
 * (the worker coalesces concurrent reservations). As many as there is room for are reserved, the
 * rest are told when the budget renews.
 */
export function reservePosts(db: Db, network: NetworkId, budget: PostBudget, count: number, now: Date): Promise<BudgetReservation[]> {
  return db.transaction().execute(async (trx): Promise<BudgetReservation[]> => {
    await sql`select pg_advisory_xact_lock(hashtext(${`chorus-post-budget:${network}`}))`.execute(trx);
    const windowStart = budgetWindowStart(budget, now);
    const buckets = await trx
      .selectFrom('post_budget_spends')
      .select(['bucket_start', 'spent'])
      .where('network', '=', network)
      .where('bucket_start', '>=', windowStart)
      .where('spent', '>', 0)
      .orderBy('bucket_start')
      .execute();
    const spent = buckets.reduce((sum, bucket) => sum + bucket.spent, 0);
    const granted = Math.max(0, Math.min(count, budget.limit - spent));
    const bucketStart = budgetBucketStart(budget, now);
    if (granted > 0) {
      await trx
        .insertInto('post_budget_spends')
        .values({ network, bucket_start: bucketStart, spent: granted })
        .onConflict((oc) =>
          oc.columns(['network', 'bucket_start']).doUpdateSet((eb) => ({ spent: eb('post_budget_spends.spent', '+', granted) })),
        )
        .execute();
      await trx.deleteFrom('post_budget_spends').where('network', '=', network).where('bucket_start', '<', windowStart).execute();
    }
    // Room comes back when the oldest bucket that still counts leaves the window.
    const renewsAt = budgetRenewsAt(budget, buckets[0]?.bucket_start ?? bucketStart);
    return Array.from({ length: count }, (_, i): BudgetReservation =>
      i < granted ? { kind: 'reserved', bucketStart } : { kind: 'exhausted', renewsAt },
    );
  });
}

/** Gives a reserved post back: the network certainly did not publish it. */
export async function returnPost(db: Db, network: NetworkId, bucketStart: Date): Promise<void> {
  await db
    .updateTable('post_budget_spends')
    .set((eb) => ({ spent: eb('spent', '-', 1) }))
    .where('network', '=', network)
    .where('bucket_start', '=', bucketStart)
    .where('spent', '>', 0)
    .execute();
}
