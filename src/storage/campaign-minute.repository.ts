import { sql, type Transaction } from 'kysely';
import type { NetworkId } from '../networks/network-id.ts';
import type { Database, Db } from './database.ts';

/** Adds a pledge's (or a withdrawal's) change to its minute, inside the pledge's own transaction. */
export async function addToCampaignMinute(
  trx: Transaction<Database>,
  change: { readonly campaignId: string; readonly network: NetworkId; readonly supporters: number; readonly reach: number },
): Promise<void> {
  await trx
    .insertInto('campaign_minutes')
    .values({
      campaign_id: change.campaignId,
      network: change.network,
      minute: sql<Date>`date_trunc('minute', now())`,
      supporters: change.supporters,
      reach: change.reach,
    })
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'network', 'minute']).doUpdateSet((eb) => ({
        supporters: eb('campaign_minutes.supporters', '+', eb.ref('excluded.supporters')),
        reach: eb('campaign_minutes.reach', '+', eb.ref('excluded.reach')),
      })),
    )
    .execute();
}

/** One point of the dashboard's chart: totals at the end of a minute. */
export interface CampaignSeriesPoint {
  readonly minute: Date;
  readonly supporters: number;
  readonly reach: number;
}

/** Running totals of supporters and reach, minute by minute (all networks together). */
export async function readCampaignSeries(db: Db, campaignId: string): Promise<CampaignSeriesPoint[]> {
  const rows = await db
    .selectFrom('campaign_minutes')
    .select(['minute', sql<number>`sum(supporters)::int8`.as('supporters'), sql<number>`sum(reach)::int8`.as('reach')])
    .where('campaign_id', '=', campaignId)
    .groupBy('minute')
    .orderBy('minute')
    .execute();
  let supporters = 0;
  let reach = 0;
  return rows.map((row) => {
    supporters += row.supporters;
    reach += row.reach;
    return { minute: row.minute, supporters, reach };
  });
}

/** Supporters and reach per network, summed from the minutes. */
export async function readNetworkTotals(db: Db, campaignId: string): Promise<{ network: NetworkId; supporters: number; reach: number }[]> {
  const rows = await db
    .selectFrom('campaign_minutes')
    .select(['network', sql<number>`sum(supporters)::int8`.as('supporters'), sql<number>`sum(reach)::int8`.as('reach')])
    .where('campaign_id', '=', campaignId)
    .groupBy('network')
    .orderBy('network')
    .execute();
  return rows.map((row) => ({ network: row.network, supporters: row.supporters, reach: row.reach }));
}
