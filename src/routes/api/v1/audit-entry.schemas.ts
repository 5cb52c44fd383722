import Type from 'typebox';
import type { AuditEntry } from '../../../storage/database.ts';
import { type AuditPage, auditPageLimits } from '../../../use-cases/audit-log/audit-page.ts';

const DateTime = Type.String({ format: 'date-time' });

/** One audit entry as the API shows it, to owners (their organisation's) and operators (the whole log). */
export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: DateTime,
  organisationId: Type.Union([Type.String(), Type.Null()], { description: 'null: an instance-wide change (an operator’s)' }),
  actorOrganiserId: Type.Union([Type.String(), Type.Null()], { description: 'null: the system (a worker) did it' }),
  action: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Object(
    {},
    { additionalProperties: true, description: 'the changed fields; never a secret or a supporter’s personal data' },
  ),
  clientIp: Type.Union([Type.String(), Type.Null()]),
});

/** The query of a page of the audit log: keyset paging, newest first. */
export const AuditPageQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'the nextBefore of the page before' })),
    limit: Type.Optional(Type.Integer({ minimum: auditPageLimits.min, maximum: auditPageLimits.max, default: auditPageLimits.default })),
  },
  { additionalProperties: false },
);

/** A page of the audit log as the API answers it. */
export const AuditPageView = Type.Object({
  entries: Type.Array(AuditEntryView),
  nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'pass as before for the next (older) page; null on the last' }),
});

/** An audit entry as the API shows it. */
export function auditEntryView(entry: AuditEntry) {
  return {
    id: String(entry.id),
    at: entry.at.toISOString(),
    organisationId: entry.organisation_id,
    actorOrganiserId: entry.actor_organiser_id,
    action: entry.action,
    campaignId: entry.campaign_id,
    subjectId: entry.subject_id,
    changes: entry.changes,
    clientIp: entry.client_ip,
  };
}

/** A page of the audit log as the API answers it. */
export function auditPageView(page: AuditPage) {
  return { entries: page.entries.map(auditEntryView), nextBefore: page.nextBefore === null ? null : String(page.nextBefore) };
}
