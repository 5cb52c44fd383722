import type { CampaignState } from '../domain/campaign-state.ts';
import type { CampaignReport, Db } from './database.ts';

/** An open report with the campaign it is about. */
export interface OpenReport extends CampaignReport {
  readonly campaign_title: string;
  readonly campaign_slug: string;
  readonly campaign_state: CampaignState;
}

/** Adds a report about a campaign. */
export function insertCampaignReport(
  db: Db,
  values: { campaignId: string; reason: string; contact: string | null },
): Promise<CampaignReport> {
  return db
    .insertInto('campaign_reports')
    .values({ campaign_id: values.campaignId, reason: values.reason, contact: values.contact })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Reports no operator has closed yet, oldest first. */
export function listOpenReports(db: Db): Promise<OpenReport[]> {
  return db
    .selectFrom('campaign_reports as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .selectAll('r')
    .select(['c.title as campaign_title', 'c.slug as campaign_slug', 'c.state as campaign_state'])
    .where('r.closed_at', 'is', null)
    .orderBy('r.created_at')
    .limit(500)
    .execute();
}

/** Closes an open report; undefined when it is closed already or not there. */
export function closeCampaignReport(db: Db, reportId: string, operatorId: string, now: Date): Promise<CampaignReport | undefined> {
  return db
    .updateTable('campaign_reports')
    .set({ closed_at: now, closed_by: operatorId })
    .where('id', '=', reportId)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Erases the contact of reports closed before `closedBefore`; answers how many. */
export async function eraseClosedReportContacts(db: Db, closedBefore: Date): Promise<number> {
  const erased = await db
    .updateTable('campaign_reports')
    .set({ contact: null })
    .where('contact', 'is not', null)
    .where('closed_at', '<', closedBefore)
    .executeTakeFirst();
  return Number(erased.numUpdatedRows);
}
