import { listEveryAuditEntry } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { auditEntriesCsv } from '../audit-log/audit-entries-csv.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The whole instance's audit log (what retention has kept) as CSV, newest first, with each entry's organisation (operators). */
export async function wholeAuditLogCsv(db: Db): Promise<Outcome<string>> {
  return done(await auditEntriesCsv('instance', (keyset) => listEveryAuditEntry(db, keyset)));
}
