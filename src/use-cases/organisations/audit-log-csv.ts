import { csvRecord } from '../../domain/csv-record.ts';
import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** How many entries are read from Postgres at a time while the export is written. */
const EXPORT_PAGE = 1000;

/** An organisation's whole audit log (what retention has kept) as CSV, newest first, for its owners. */
export async function auditLogCsv(db: Db, organiserId: string, organisationId: string): Promise<Outcome<string>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-audit-log');
  if (access.kind !== 'done') return access;
  const lines = [csvRecord(['id', 'at', 'actor', 'action', 'campaign', 'subject', 'changes', 'client_ip'])];
  let before: number | undefined;
  for (;;) {
    const entries = await listAuditEntries(db, organisationId, { beforeId: before, limit: EXPORT_PAGE });
    for (const entry of entries)
      lines.push(
        csvRecord([
          entry.id,
          entry.at.toISOString(),
          entry.actor_organiser_id ?? 'system',
          entry.action,
          entry.campaign_id ?? '',
          entry.subject_id ?? '',
          JSON.stringify(entry.changes),
          entry.client_ip ?? '',
        ]),
      );
    if (entries.length < EXPORT_PAGE) break;
    before = entries.at(-1)?.id;
  }
  return done(lines.join(''));
}
