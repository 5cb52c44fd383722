import type { NetworkId } from '../networks/network-id.ts';
import type { Db } from '../storage/database.ts';
import { listDeliveriesWaitingOn, listLaunchingCampaignsOn } from '../storage/network-hold.repository.ts';

const pageSize = 500;

/**
 * Hands out again every delivery that a network's pause kept waiting with no job, once the pause
 * has ended: campaign by campaign, a page of ids at a time. Handing one out twice posts nothing
 * twice (each is claimed in Postgres), and any this misses (a worker that died half-way) are put
 * back by the recovery sweep. Answers how many were handed out.
 */
export async function wakeDeliveriesAfterPause(
  db: Db,
  network: NetworkId,
  handOut: (deliveryIds: readonly string[]) => Promise<void>,
  now: Date = new Date(),
): Promise<number> {
  let woken = 0;
  for (const campaignId of await listLaunchingCampaignsOn(db, network)) {
    let after: string | null = null;
    for (;;) {
      const ids = await listDeliveriesWaitingOn(db, network, campaignId, after, pageSize, now);
      if (ids.length === 0) break;
      await handOut(ids);
      woken += ids.length;
      after = ids.at(-1) ?? null;
      if (ids.length < pageSize) break;
    }
  }
  return woken;
}
