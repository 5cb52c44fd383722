import { closeCampaignReport } from '../../storage/campaign-report.repository.ts';
import type { CampaignReport, Db } from '../../storage/database.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** An operator closes a report (dealt with, or nothing to do); its contact is erased REPORT_CONTACT_RETENTION_DAYS later. */
export async function closeReport(db: Db, reportId: string, operatorId: string, now: Date = new Date()): Promise<Outcome<CampaignReport>> {
  const closed = await closeCampaignReport(db, reportId, operatorId, now);
  return closed === undefined ? notFound('open report') : done(closed);
}
