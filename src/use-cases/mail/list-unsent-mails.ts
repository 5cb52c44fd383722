import type { Db } from '../../storage/database.ts';
import { listPendingMailIds } from '../../storage/mail-outbox.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** Rows younger than this are left to the writer that hands them to the queue after its commit. */
const UNSENT_GRACE_MS = 5000;

/** How many pending rows one sweep hands to the queue (the next sweep takes the rest). */
const UNSENT_PAGE = 1000;

/** The pending outbox mails the sweep makes sure have a job, oldest first. */
export async function listUnsentMails(db: Db, now: Date): Promise<Outcome<string[]>> {
  return done(await listPendingMailIds(db, now, UNSENT_GRACE_MS, UNSENT_PAGE));
}
