import { deleteAuditEntriesBefore } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';
import { deleteExpiredInvitations } from '../../storage/organisation.repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The audit log's retention: entries older than AUDIT_LOG_RETENTION_DAYS are deleted (they name organisers and
 * their addresses), and so are invitations that expired unused. Answers how many of each went.
 */
export async function eraseExpiredAuditEntries(
  db: Db,
  retentionDays: number,
  now = new Date(),
): Promise<{ readonly entries: number; readonly invitations: number }> {
  const entries = await deleteAuditEntriesBefore(db, new Date(now.getTime() - retentionDays * DAY_MS));
  const invitations = await deleteExpiredInvitations(db, now);
  return { entries, invitations };
}
