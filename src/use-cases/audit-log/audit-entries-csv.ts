import { csvRecord } from '../../domain/csv-record.ts';
import type { AuditEntry } from '../../storage/database.ts';
import type { ListAuditEntries } from './audit-page.ts';

/** How many entries are read from Postgres at a time while the export is written. */
const EXPORT_PAGE = 1000;

/**
 * Which part of the log an export holds: one organisation's (its owners), or the whole instance's (operators),
 * whose rows also say which organisation each entry belongs to.
 */
export type AuditExportScope = 'organisation' | 'instance';

function columnsOf(scope: AuditExportScope): string[] {
  switch (scope) {
    case 'organisation':
      return ['id', 'at', 'actor', 'action', 'campaign', 'subject', 'changes', 'client_ip'];
    case 'instance':
      return ['id', 'at', 'organisation', 'actor', 'action', 'campaign', 'subject', 'changes', 'client_ip'];
  }
}

function rowOf(scope: AuditExportScope, entry: AuditEntry): (string | number)[] {
  const who = [entry.actor_organiser_id ?? 'system', entry.action, entry.campaign_id ?? '', entry.subject_id ?? ''];
  const rest = [JSON.stringify(entry.changes), entry.client_ip ?? ''];
  switch (scope) {
    case 'organisation':
      return [entry.id, entry.at.toISOString(), ...who, ...rest];
    case 'instance':
      return [entry.id, entry.at.toISOString(), entry.organisation_id ?? '', ...who, ...rest];
  }
}

/** Every entry `list` reads (what retention has kept), newest first, as CSV with a header line. */
export async function auditEntriesCsv(scope: AuditExportScope, list: ListAuditEntries): Promise<string> {
  const lines = [csvRecord(columnsOf(scope))];
  let before: number | undefined;
  for (;;) {
    const entries = await list({ beforeId: before, limit: EXPORT_PAGE });
    for (const entry of entries) lines.push(csvRecord(rowOf(scope, entry)));
    if (entries.length < EXPORT_PAGE) break;
    before = entries.at(-1)?.id;
  }
  return lines.join('');
}
