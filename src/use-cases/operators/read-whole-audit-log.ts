import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { type AuditFilterRequest, checkAuditFilter } from '../audit-log/audit-filter.ts';
import { type AuditPage, type AuditPageRequest, checkAuditPageRequest, readAuditPage } from '../audit-log/audit-page.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The whole instance's audit log (every organisation's entries and those of none), newest first, a page at a time, filtered (operators). */
export async function readWholeAuditLog(db: Db, page: AuditPageRequest, filter: AuditFilterRequest = {}): Promise<Outcome<AuditPage>> {
  const checked = checkAuditPageRequest(page);
  if (checked.kind !== 'done') return checked;
  const filtered = checkAuditFilter(filter);
  if (filtered.kind !== 'done') return filtered;
  return done(await readAuditPage((keyset) => listAuditEntries(db, filtered.value, keyset), checked.value));
}
