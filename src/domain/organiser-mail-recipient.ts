import { can, organisationRoles, type OrganisationRole } from './organisation-role.ts';

// Who hears about a campaign is the role table's say, not a list of its own: every member whose role may read the
// campaign (viewers too, as they follow its dashboard and results; docs/mail.md), each switching kinds off for themselves.

/** The roles whose members are sent a campaign's organiser mails. */
export const organiserMailRecipientRoles: readonly OrganisationRole[] = organisationRoles.filter((role) => can(role, 'read-campaigns'));
