import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { deleteEndedOrganiserSessions } from '../use-cases/organisers/delete-ended-sessions.ts';
import { sessionLifetimesOf } from '../use-cases/organisers/session-lifetimes.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';

/** How often a worker deletes the records of organisers' sessions that have ended. */
export const SESSION_SWEEP_MS = 15 * 60 * 1000;

/**
 * Every `intervalMs`, deletes the records of sessions that ended (idle or past their absolute end)
 * without being presented again; a session presented after its end is refused and deleted then.
 * Every worker runs it: the delete is idempotent, and cheap on a table of a week's sign-ins.
 */
export function startSweepingEndedSessions(ctx: ChorusContext, log: Logger, intervalMs: number = SESSION_SWEEP_MS): PeriodicTask {
  const lifetimes = sessionLifetimesOf(ctx.config);
  return runPeriodically(
    intervalMs,
    async () => {
      const deleted = await deleteEndedOrganiserSessions(ctx.db, lifetimes);
      if (deleted > 0) log.info({ deleted }, 'deleted ended organiser sessions');
    },
    (error) => {
      log.error({ err: error }, 'deleting ended organiser sessions failed');
    },
  );
}
