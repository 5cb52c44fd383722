import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { deleteMarkedOrganisations } from '../use-cases/organisations/delete-marked-organisations.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';

/**
 * Every `intervalMs`, deletes the organisations marked for deletion whose supporters' mails are done with, or that
 * were marked ORGANISATION_DELETION_WAIT_SECONDS ago. Every worker runs it: each deletion locks its row first.
 */
export function startDeletingMarkedOrganisations(ctx: ChorusContext, log: Logger, intervalMs: number): PeriodicTask {
  return runPeriodically(
    intervalMs,
    async () => {
      const deleted = await deleteMarkedOrganisations(ctx.db, ctx.config.ORGANISATION_DELETION_WAIT_SECONDS);
      if (deleted > 0) log.info({ deleted }, 'deleted organisations of deleted accounts');
    },
    (error) => {
      log.error({ err: error }, 'deleting organisations of deleted accounts failed');
    },
  );
}
