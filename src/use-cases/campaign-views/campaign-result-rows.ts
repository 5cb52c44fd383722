import type { ChorusContext } from '../../chorus-context.ts';
import type { Campaign } from '../../storage/database.ts';
import { listDeliveryResults } from '../../storage/delivery-result.repository.ts';
import { networkName, resultRow } from './dashboard-snapshot.ts';

const PAGE_SIZE = 1000;

/** Every row of a campaign's results (the CSV export), read a page at a time so that a large launch is never held in memory. */
export async function* campaignResultRows(ctx: ChorusContext, campaign: Pick<Campaign, 'id'>) {
  let after: string | null = null;
  for (;;) {
    const page = await listDeliveryResults(ctx.db, campaign.id, PAGE_SIZE, after);
    for (const r of page) yield resultRow(r, networkName(ctx, r.network));
    const lastRow = page.at(-1);
    if (lastRow === undefined || page.length < PAGE_SIZE) return;
    after = lastRow.id;
  }
}
