import Type from 'typebox';
import { auditActions } from '../../../domain/audit-action.ts';
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

/** A calendar day: the shape, and a day that exists (2026-02-30 does not). */
function IsoDay(description: string) {
  return Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });
}

/** The filters every reader of the audit log may set (src/use-cases/audit-log/audit-filter.ts); left out, all entries. */
const auditFilterProperties = {
  action: Type.Optional(Type.Enum(auditActions, { description: 'only entries of this action' })),
  actor: Type.Optional(Type.String({ format: 'uuid', description: 'only entries made by this organiser (their id, as entries show it)' })),
  from: Type.Optional(IsoDay('only entries recorded on this UTC day (YYYY-MM-DD) or later')),
  to: Type.Optional(IsoDay('only entries recorded on this UTC day (YYYY-MM-DD) or earlier')),
};

/** The operators' extra filter: one organisation's entries. */
const organisationFilterProperty = {
  organisation: Type.Optional(Type.String({ format: 'uuid', description: 'only this organisation’s entries' })),
};

const pageProperties = {
  before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'the nextBefore of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: auditPageLimits.min, maximum: auditPageLimits.max, default: auditPageLimits.default })),
};

/** The query of a page of an organisation's audit log: keyset paging, newest first, and the filters. */
export const AuditPageQuery = Type.Object({ ...pageProperties, ...auditFilterProperties }, { additionalProperties: false });

/** The query of an organisation's audit log as CSV: the filters. */
export const AuditCsvQuery = Type.Object(auditFilterProperties, { additionalProperties: false });

/** The query of a page of the whole audit log (operators): the owners' query, and one organisation. */
export const WholeAuditPageQuery = Type.Object(
  { ...pageProperties, ...auditFilterProperties, ...organisationFilterProperty },
  { additionalProperties: false },
);

/** The query of the whole audit log as CSV (operators): the filters, and one organisation. */
export const WholeAuditCsvQuery = Type.Object({ ...auditFilterProperties, ...organisationFilterProperty }, { additionalProperties: false });

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
