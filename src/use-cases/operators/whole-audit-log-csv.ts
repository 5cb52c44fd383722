import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { auditEntriesCsv } from '../audit-log/audit-entries-csv.ts';
import { type AuditFilterRequest, checkAuditFilter } from '../audit-log/audit-filter.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The whole instance's audit log (what retention has kept), filtered, as CSV lines newest first with each entry's organisation (operators), read a batch at a time. */
export function wholeAuditLogCsv(db: Db, filter: AuditFilterRequest = {}): Outcome<AsyncIterable<string>> {
  const filtered = checkAuditFilter(filter);
  if (filtered.kind !== 'done') return filtered;
  return done(auditEntriesCsv('instance', (keyset) => listAuditEntries(db, filtered.value, keyset)));
}
