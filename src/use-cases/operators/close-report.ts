import { closeCampaignReport } from '../../storage/campaign-report.repository.ts';
import type { CampaignReport, Db } from '../../storage/database.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** An operator closes a report (dealt with, or nothing to do); its contact is erased REPORT_CONTACT_RETENTION_DAYS later. */
export async function closeReport(
  db: Db,
  actor: OrganiserActor,
  reportId: string,
  now: Date = new Date(),
): Promise<Outcome<CampaignReport>> {
  const closed = await db.transaction().execute(async (trx) => {
    const report = await closeCampaignReport(trx, reportId, actor.organiserId, now);
    // The report's reason and contact stay out of the log: the contact is the reporter's personal data.
    if (report !== undefined)
      await recordAudit(trx, actor, {
        action: 'report.closed',
        organisationId: null,
        campaignId: report.campaign_id,
        subjectId: report.id,
      });
    return report;
  });
  return closed === undefined ? notFound('open report') : done(closed);
}
