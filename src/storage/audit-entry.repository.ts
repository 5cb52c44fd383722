import { sql } from 'kysely';
import type { AuditAction } from '../domain/audit-action.ts';
import type { AuditEntry, Db } from './database.ts';

/** What an audit entry records; `at` and `id` are Postgres's. */
export interface NewAuditEntry {
  /** The organiser who acted, or null for the system (a worker). */
  readonly actorOrganiserId: string | null;
  /** What was done, as `subject.verb` ("campaign.published", "member.removed"). */
  readonly action: AuditAction;
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

/**
 * Which entries a reader asks for; every field left out matches everything. Owners' reads always set
 * `organisationId` to theirs (the use cases do); only operators read with it unset.
 */
export interface AuditEntryFilter {
  readonly organisationId?: string;
  readonly action?: AuditAction;
  readonly actorOrganiserId?: string;
  /** Entries recorded at or after this instant. */
  readonly from?: Date;
  /** Entries recorded before this instant. */
  readonly until?: Date;
}

/**
 * Entries matching `filter`, newest first, `limit` of them older than the entry `beforeId` (keyset paging by id):
 * the one query behind the owners' and the operators' pages and exports. Each filter has an index that keeps the
 * id order (migrations 0021 and 0027), so a page stops after `limit` matching rows instead of reading the log.
 */
export function listAuditEntries(db: Db, filter: AuditEntryFilter, page: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll();
  if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actorOrganiserId !== undefined) query = query.where('actor_organiser_id', '=', filter.actorOrganiserId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
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
