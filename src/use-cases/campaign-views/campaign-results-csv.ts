import type { ChorusContext } from '../../chorus-context.ts';
import { csvRecord } from '../../domain/csv-record.ts';
import type { Campaign } from '../../storage/database.ts';
import { campaignResultRows } from './campaign-result-rows.ts';

/** The campaign's results as the lines of a CSV file (a header, then one line per delivery), read a page at a time. */
export async function* campaignResultsCsv(ctx: ChorusContext, campaign: Pick<Campaign, 'id'>): AsyncGenerator<string> {
  yield csvRecord(['handle', 'network', 'reach', 'state', 'post_url', 'reason', 'sent_at']);
  for await (const row of campaignResultRows(ctx, campaign)) {
    yield csvRecord([row.handle, row.network, row.reach, row.state, row.postUrl ?? '', row.reason, row.sentAt]);
  }
}
