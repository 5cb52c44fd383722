import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { auditEntriesCsv } from '../audit-log/audit-entries-csv.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** An organisation's whole audit log (what retention has kept) as CSV, newest first, for its owners. */
export async function auditLogCsv(db: Db, organiserId: string, organisationId: string): Promise<Outcome<string>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-audit-log');
  if (access.kind !== 'done') return access;
  return done(await auditEntriesCsv('organisation', (keyset) => listAuditEntries(db, organisationId, keyset)));
}
