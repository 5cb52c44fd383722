import type { Organiser } from '../../storage/database.ts';
import type { AuditedChange } from '../organisations/audit-actor.ts';

// An operator's decision about an account belongs to the instance, not to an organisation: its entry names the account
// and its new standing, and no organisation.

/** The audit entry of an account's standing changed by an operator. */
export function organiserStandingEntry(
  action: 'organiser.approved' | 'organiser.suspended' | 'organiser.reinstated',
  organiser: Organiser,
): AuditedChange {
  return { action, organisationId: null, subjectId: organiser.id, changes: { standing: organiser.standing } };
}
