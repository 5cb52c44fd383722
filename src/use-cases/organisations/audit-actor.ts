import { recordAuditEntry, type NewAuditEntry } from '../../storage/audit-entry.repository.ts';
import type { Db } from '../../storage/database.ts';

/** Who made a change, for the audit log: an organiser, from the client address Fastify saw; or the system (a worker). */
export type AuditActor =
  { readonly kind: 'organiser'; readonly organiserId: string; readonly clientIp: string } | { readonly kind: 'system' };

/** What was done, as recorded: everything of an entry but who and from where. */
export type AuditedChange = Omit<NewAuditEntry, 'actorOrganiserId' | 'clientIp'>;

/** The entry for a change made by this actor. */
export function auditEntryOf(actor: AuditActor, change: AuditedChange): NewAuditEntry {
  switch (actor.kind) {
    case 'organiser':
      return { ...change, actorOrganiserId: actor.organiserId, clientIp: actor.clientIp };
    case 'system':
      return { ...change, actorOrganiserId: null, clientIp: null };
  }
}

/** Records a change in the audit log; pass the transaction that makes the change, so both are kept or neither. */
export function recordAudit(trx: Db, actor: AuditActor, change: AuditedChange): Promise<void> {
  return recordAuditEntry(trx, auditEntryOf(actor, change));
}

/** An organiser acting through the API or the pages. */
export type OrganiserActor = Extract<AuditActor, { kind: 'organiser' }>;
