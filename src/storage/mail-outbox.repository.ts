import { sql } from 'kysely';
import type { MailStatus } from '../domain/mail-state.ts';
import type { Db, OutboxMailRow } from './database.ts';

/** A mail to write to the outbox: who gets it, what kind, its dedupe key, what its template shows, and what it is about. */
export interface NewOutboxMail {
  readonly kind: string;
  readonly recipient: string;
  /** Unique across the outbox: writing a mail whose key is taken writes nothing. */
  readonly dedupeKey: string;
  readonly templateData: Readonly<Record<string, unknown>>;
  readonly organiserId?: string | undefined;
  readonly campaignId?: string | undefined;
  readonly pledgeId?: string | undefined;
}

/**
 * Writes mails to the outbox, one statement; a mail whose dedupe key is already there is skipped. Answers the ids of
 * the rows written now (to hand to the queue at once; the sweep finds any whose job was never added). Run it in
 * the transaction of the event that causes the mails, where there is one.
 */
export async function writeOutboxMails(db: Db, mails: readonly NewOutboxMail[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db
    .insertInto('mail_outbox')
    .values(
      mails.map((mail) => ({
        kind: mail.kind,
        recipient: mail.recipient,
        dedupe_key: mail.dedupeKey,
        template_data: JSON.stringify(mail.templateData),
        organiser_id: mail.organiserId ?? null,
        campaign_id: mail.campaignId ?? null,
        pledge_id: mail.pledgeId ?? null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** One outbox mail by id. */
export function findOutboxMail(db: Db, id: string): Promise<OutboxMailRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An outbox row's state with what belongs to it. */
export function mailStatusOf(row: Pick<OutboxMailRow, 'state' | 'attempts' | 'sent_at' | 'failed_at' | 'failure_reason'>): MailStatus {
  switch (row.state) {
    case 'pending':
      return { state: 'pending', attempts: row.attempts };
    case 'sent':
      return { state: 'sent', sentAt: row.sent_at ?? new Date(0), attempts: row.attempts };
    case 'failed':
      return { state: 'failed', reason: row.failure_reason ?? '', failedAt: row.failed_at ?? new Date(0), attempts: row.attempts };
  }
}

/** Counts one more attempt at sending a pending mail (before the mail server is called). */
export async function countMailAttempt(db: Db, id: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
}

/** Records a pending mail as sent; false when it was no longer pending. */
export async function recordMailSent(db: Db, id: string, at: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ state: 'sent', sent_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a pending mail as failed for good, with the reason; false when it was no longer pending. */
export async function recordMailFailed(db: Db, id: string, reason: string, at: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ state: 'failed', failure_reason: reason, failed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Pending mails written at least `graceMs` ago, oldest first: the sweep makes sure each has a job. */
export async function listPendingMailIds(db: Db, now: Date, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where('state', '=', 'pending')
    .where('created_at', '<=', new Date(now.getTime() - graceMs))
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Deletes sent and failed mails finished before `before`, at most `limit` at once; answers how many. */
export async function deleteFinishedMails(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('mail_outbox')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('mail_outbox')
        .select('id')
        .where('state', '<>', 'pending')
        .where(sql<Date>`coalesce(sent_at, failed_at)`, '<', before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
