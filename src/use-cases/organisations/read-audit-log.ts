import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { type AuditFilterRequest, checkAuditFilter } from '../audit-log/audit-filter.ts';
import { type AuditPage, type AuditPageRequest, checkAuditPageRequest, readAuditPage } from '../audit-log/audit-page.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** An organisation's part of the audit log, newest first, a page at a time, filtered (its owners only). */
export async function readAuditLog(
  db: Db,
  organiserId: string,
  organisationId: string,
  page: AuditPageRequest,
  filter: Omit<AuditFilterRequest, 'organisation'> = {},
): Promise<Outcome<AuditPage>> {
  // Who may read first: a stranger learns nothing of the log, not even which filters it takes.
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-audit-log');
  if (access.kind !== 'done') return access;
  const checked = checkAuditPageRequest(page);
  if (checked.kind !== 'done') return checked;
  const filtered = checkAuditFilter({ ...filter, organisation: organisationId });
  if (filtered.kind !== 'done') return filtered;
  return done(await readAuditPage((keyset) => listAuditEntries(db, filtered.value, keyset), checked.value));
}
