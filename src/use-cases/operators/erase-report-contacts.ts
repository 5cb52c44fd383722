import { eraseClosedReportContacts } from '../../storage/campaign-report.repository.ts';
import type { Db } from '../../storage/database.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** Erases the contact left with reports closed more than `retentionDays` ago (REPORT_CONTACT_RETENTION_DAYS); answers how many. */
export async function eraseReportContacts(db: Db, retentionDays: number, now: Date = new Date()): Promise<Outcome<number>> {
  return done(await eraseClosedReportContacts(db, new Date(now.getTime() - retentionDays * dayMs)));
}
