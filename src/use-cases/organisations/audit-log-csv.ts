import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { auditEntriesCsv } from '../audit-log/audit-entries-csv.ts';
import { type AuditFilterRequest, checkAuditFilter } from '../audit-log/audit-filter.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/**
 * An organisation's audit log (what retention has kept), filtered, as CSV lines newest first, for its owners: checked
 * before the first line, then read a batch at a time as the reply is written.
 */
export async function auditLogCsv(
  db: Db,
  organiserId: string,
  organisationId: string,
  filter: Omit<AuditFilterRequest, 'organisation'> = {},
): Promise<Outcome<AsyncIterable<string>>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-audit-log');
  if (access.kind !== 'done') return access;
  const filtered = checkAuditFilter({ ...filter, organisation: organisationId });
  if (filtered.kind !== 'done') return filtered;
  return done(auditEntriesCsv('organisation', (keyset) => listAuditEntries(db, filtered.value, keyset)));
}
