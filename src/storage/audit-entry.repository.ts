import { sql } from 'kysely';
import type { AuditEntry, Db } from './database.ts';

/** What an audit entry records; `at` and `id` are Postgres's. */
export interface NewAuditEntry {
  /** The organiser who acted, or null for the system (a worker). */
  readonly actorOrganiserId: string | null;
  /** What was done, as `subject.verb` ("campaign.published", "member.removed"). */
  readonly action: string;
  readonly organisationId: string | null;
  readonly campaignId?: string | null;
  /** The other thing acted on: a member's organiser id, an invitation's id, a pledge's id. */
  readonly subjectId?: string | null;
  /** The changed fields: never a secret, never a supporter's personal data. */
  readonly changes?: Readonly<Record<string, unknown>>;
  /** The client's address as Fastify saw it (TRUST_PROXY decides whose X-Forwarded-For counts); null for the system. */
  readonly clientIp: string | null;
}

/** Records one entry; call it with the transaction that makes the change, so both are kept or neither. */
export async function recordAuditEntry(db: Db, entry: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_entries')
    .values({
      actor_organiser_id: entry.actorOrganiserId,
      action: entry.action,
      organisation_id: entry.organisationId,
      campaign_id: entry.campaignId ?? null,
      subject_id: entry.subjectId ?? null,
      changes: JSON.stringify(entry.changes ?? {}),
      client_ip: entry.clientIp,
    })
    .execute();
}

/** An organisation's entries, newest first, `limit` of them older than the entry `beforeId` (keyset paging). */
export function listAuditEntries(db: Db, organisationId: string, page: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll().where('organisation_id', '=', organisationId);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}

/** Every organisation's entries (and the system's), newest first, a page at a time: the operators' view of the whole log. */
export function listEveryAuditEntry(db: Db, page: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll();
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * Deletes entries recorded before `before`, the only delete the table's trigger lets through: the transaction
 * says it is the retention sweep (`set local`, so the setting ends with it). Answers how many went.
 */
export function deleteAuditEntriesBefore(db: Db, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`set local chorus.audit_retention_sweep = 'on'`.execute(trx);
    const deleted = await trx.deleteFrom('audit_entries').where('at', '<', before).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
}
