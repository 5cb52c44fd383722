import { sql } from 'kysely';
import type { Db } from './database.ts';

// The minutes are kept by the pledges' tally trigger (migration 0005), in the pledge's own transaction.

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
