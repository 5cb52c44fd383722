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

/**
 * Every entry `list` reads (what retention has kept), newest first, as CSV with a header line, produced a batch at a
 * time: each statement reads EXPORT_PAGE entries after the last one written, so the export's memory stays one batch
 * however long the log, and no connection is held between batches. An entry recorded while the export runs is newer
 * than its first batch and is left out; none is written twice.
 */
export async function* auditEntriesCsv(scope: AuditExportScope, list: ListAuditEntries): AsyncGenerator<string> {
  yield csvRecord(columnsOf(scope));
  let before: number | undefined;
  for (;;) {
    const entries = await list({ beforeId: before, limit: EXPORT_PAGE });
    if (entries.length > 0) yield entries.map((entry) => csvRecord(rowOf(scope, entry))).join('');
    if (entries.length < EXPORT_PAGE) return;
    before = entries.at(-1)?.id;
  }
}
