import type { Db } from '../../storage/database.ts';
import { deleteFinishedMails } from '../../storage/mail-outbox.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

const dayMs = 24 * 60 * 60 * 1000;
const DELETE_BATCH = 1000;

/** Deletes sent and failed mails (each with its recipient's address) finished more than `retentionDays` ago; answers how many. */
export async function deleteExpiredMails(db: Db, now: Date, retentionDays: number): Promise<Outcome<number>> {
  const before = new Date(now.getTime() - retentionDays * dayMs);
  let total = 0;
  for (;;) {
    const deleted = await deleteFinishedMails(db, before, DELETE_BATCH);
    total += deleted;
    if (deleted < DELETE_BATCH) return done(total);
  }
}
