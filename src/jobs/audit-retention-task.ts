import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { eraseExpiredAuditEntries } from '../use-cases/organisations/erase-expired-audit-entries.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';

/** How often a worker deletes audit entries past their retention and invitations past their end. */
export const AUDIT_RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * Every `intervalMs`, deletes audit entries older than AUDIT_LOG_RETENTION_DAYS and expired invitations. Every
 * worker runs it: both deletes are idempotent, by indexed time.
 */
export function startAuditRetention(ctx: ChorusContext, log: Logger, intervalMs: number = AUDIT_RETENTION_SWEEP_MS): PeriodicTask {
  return runPeriodically(
    intervalMs,
    async () => {
      const erased = await eraseExpiredAuditEntries(ctx.db, ctx.config.AUDIT_LOG_RETENTION_DAYS);
      if (erased.entries > 0 || erased.invitations > 0) log.info(erased, 'deleted expired audit entries and invitations');
    },
    (error) => {
      log.error({ err: error }, 'deleting expired audit entries failed');
    },
  );
}
