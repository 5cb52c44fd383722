import type { AuditEntry } from '../../storage/database.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** How many entries one page of the audit log holds. */
export const auditPageLimits = { min: 1, max: 200, default: 50 } as const;

/** One page of the audit log, and where the next (older) one starts. */
export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `before` for the next page; null on the last page. */
  readonly nextBefore: number | null;
}

/** What a caller asks for: `before` is the nextBefore of the page before, as text from a query. */
export interface AuditPageRequest {
  readonly before?: string;
  readonly limit: number;
}

/** Reads entries newest first, `limit` of them older than `beforeId` (a keyset page of one part of the log). */
export type ListAuditEntries = (page: { beforeId?: number; limit: number }) => Promise<AuditEntry[]>;

/** Checks a page request, answering the refusal for a bad limit or `before`, or the checked keyset to read with. */
export function checkAuditPageRequest(page: AuditPageRequest): Outcome<{ beforeId?: number; limit: number }> {
  const { limit, before } = page;
  if (!Number.isSafeInteger(limit) || limit < auditPageLimits.min || limit > auditPageLimits.max)
    return invalid(`the limit must be a whole number from ${auditPageLimits.min} to ${auditPageLimits.max}`, 'limit');
  if (before !== undefined && !/^[1-9][0-9]{0,14}$/.test(before))
    return invalid('before must be an entry id from an earlier page', 'before');
  return done({ beforeId: before === undefined ? undefined : Number(before), limit });
}

/** One checked page from `list`: one entry more is read to learn whether an older page exists. */
export async function readAuditPage(list: ListAuditEntries, page: { beforeId?: number; limit: number }): Promise<AuditPage> {
  const entries = await list({ beforeId: page.beforeId, limit: page.limit + 1 });
  const shown = entries.slice(0, page.limit);
  return { entries: shown, nextBefore: entries.length > page.limit ? (shown.at(-1)?.id ?? null) : null };
}
