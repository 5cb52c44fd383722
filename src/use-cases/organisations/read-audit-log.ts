import { listAuditEntries } from '../../storage/audit-entry.repository.ts';
import type { AuditEntry, Db } from '../../storage/database.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** How many entries one page of the audit log holds. */
export const auditPageLimits = { min: 1, max: 200, default: 50 } as const;

/** One page of the audit log, and where the next (older) one starts. */
export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `before` for the next page; null on the last page. */
  readonly nextBefore: number | null;
}

/** An organisation's part of the audit log, newest first, a page at a time (its owners only). */
export async function readAuditLog(
  db: Db,
  organiserId: string,
  organisationId: string,
  page: { readonly before?: string; readonly limit: number },
): Promise<Outcome<AuditPage>> {
  const { limit, before } = page;
  if (!Number.isSafeInteger(limit) || limit < auditPageLimits.min || limit > auditPageLimits.max)
    return invalid(`the limit must be a whole number from ${auditPageLimits.min} to ${auditPageLimits.max}`, 'limit');
  if (before !== undefined && !/^[1-9][0-9]{0,14}$/.test(before))
    return invalid('before must be an entry id from an earlier page', 'before');
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-audit-log');
  if (access.kind !== 'done') return access;
  const entries = await listAuditEntries(db, organisationId, {
    beforeId: before === undefined ? undefined : Number(before),
    limit: limit + 1,
  });
  const shown = entries.slice(0, limit);
  return done({ entries: shown, nextBefore: entries.length > limit ? (shown.at(-1)?.id ?? null) : null });
}
