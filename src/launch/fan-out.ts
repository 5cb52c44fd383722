import type { Db } from '../storage/database.ts';
import { completeLaunchIfDone, createDeliveries } from '../storage/delivery.repository.ts';
import { markReleaseHandedOut, saveReleaseCursor } from '../storage/launch.repository.ts';
import { pageActivePledgeIds } from '../storage/pledge.repository.ts';

export interface FanOutContext {
  readonly db: Db;
  /** Hands one page's new deliveries to the workers (the delivery queue, in batches). */
  readonly handOut: (deliveryIds: readonly string[]) => Promise<void>;
  /** Pledges read and handed out per round trip. */
  readonly pageSize?: number;
  /** Checked between pages: true when the worker is shutting down. */
  readonly stopping?: () => boolean;
}

/** How far a fan-out got. */
export type FanOutResult =
  | { readonly kind: 'released'; readonly enqueued: number }
  /** The worker is shutting down: the cursor is saved and another worker carries on from it. */
  | { readonly kind: 'interrupted'; readonly enqueued: number };

// The first page is small so that the first posts leave while the rest are still handed out.
const firstPageSize = 100;

/**
 * Pages the campaign's pledges out of Postgres with a keyset cursor, creates their deliveries
 * and hands them out, saving the cursor after each page so that a launch job that dies resumes
 * where it stopped (a delivery exists once per pledge, so a page handed out twice posts nothing twice).
 */
export async function fanOut(ctx: FanOutContext, campaignId: string, startAfter: string | null): Promise<FanOutResult> {
  const pageSize = ctx.pageSize ?? 500;
  let nextPageSize = Math.min(pageSize, firstPageSize);
  let cursor = startAfter;
  let enqueued = 0;
  for (;;) {
    if (ctx.stopping?.() === true) return { kind: 'interrupted', enqueued };
    const pledgeIds = await pageActivePledgeIds(ctx.db, campaignId, cursor, nextPageSize);
    nextPageSize = pageSize;
    if (pledgeIds.length === 0) break;
    const deliveryIds = await createDeliveries(ctx.db, campaignId, pledgeIds);
    await ctx.handOut(deliveryIds);
    enqueued += deliveryIds.length;
    cursor = pledgeIds.at(-1) ?? cursor;
    await saveReleaseCursor(ctx.db, campaignId, cursor);
  }
  await markReleaseHandedOut(ctx.db, campaignId, new Date());
  // Deliveries that finished before the last page was handed out could not close the launch themselves.
  await completeLaunchIfDone(ctx.db, campaignId);
  return { kind: 'released', enqueued };
}
