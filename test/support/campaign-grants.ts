import type { Db } from '../../src/storage/database.ts';

/** The ids of a campaign's pledges that still hold a grant: what a suspension, a cancel or a launch must leave none of. */
export async function pledgesHoldingGrants(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('pledge_credentials')
    .innerJoin('pledges', 'pledges.id', 'pledge_credentials.pledge_id')
    .select('pledge_credentials.pledge_id')
    .where('pledges.campaign_id', '=', campaignId)
    .execute();
  return rows.map((row) => row.pledge_id);
}
