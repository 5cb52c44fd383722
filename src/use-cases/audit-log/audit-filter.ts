import { type AuditAction, auditActions } from '../../domain/audit-action.ts';
import type { AuditEntryFilter } from '../../storage/audit-entry.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/**
 * Which entries a reader asks for, as the query string gave it: `organisation` (operators; the owners' use cases set
 * it to theirs), `action` (one of src/domain/audit-action.ts), `actor` (the id of the organiser who acted, as the log
 * shows it), `from` and `to` (UTC calendar days, YYYY-MM-DD, both included). A blank value (an empty field of the
 * pages' filter form) filters nothing.
 */
export interface AuditFilterRequest {
  readonly organisation?: string;
  readonly action?: string;
  readonly actor?: string;
  readonly from?: string;
  readonly to?: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDay = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const dayMs = 24 * 60 * 60 * 1000;

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

/** The start of a UTC calendar day, or undefined when the text is not one (2026-02-30 is not). */
function startOfDay(text: string): Date | undefined {
  if (!isoDay.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? undefined : day;
}

/** Checks a filter, answering the refusal naming the parameter at fault, or the filter to read with. */
export function checkAuditFilter(request: AuditFilterRequest): Outcome<AuditEntryFilter> {
  const organisation = present(request.organisation);
  const action = present(request.action);
  const actor = present(request.actor);
  const fromText = present(request.from);
  const toText = present(request.to);
  if (organisation !== undefined && !uuid.test(organisation)) return invalid('organisation must be an organisation’s id', 'organisation');
  if (action !== undefined && !isAuditAction(action)) return invalid(`action must be one of ${auditActions.join(', ')}`, 'action');
  if (actor !== undefined && !uuid.test(actor)) return invalid('actor must be the id of the organiser who acted', 'actor');
  const from = fromText === undefined ? undefined : startOfDay(fromText);
  if (fromText !== undefined && from === undefined) return invalid('from must be a date, YYYY-MM-DD', 'from');
  const to = toText === undefined ? undefined : startOfDay(toText);
  if (toText !== undefined && to === undefined) return invalid('to must be a date, YYYY-MM-DD', 'to');
  if (from !== undefined && to !== undefined && to < from) return invalid('to must be the same day as from or later', 'to');
  return done({
    organisationId: organisation?.toLowerCase(),
    action,
    actorOrganiserId: actor?.toLowerCase(),
    from,
    // `to` is a whole day: entries up to its end.
    until: to === undefined ? undefined : new Date(to.getTime() + dayMs),
  });
}
