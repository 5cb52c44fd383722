// What each member of an organisation may do. Roles are data: the table below is the one place that says who may do
// what, and the use cases ask it through `can` (src/use-cases/organisations/organisation-access.ts) before acting.

/** A member's role, from most to least trusted. */
export const organisationRoles = ['owner', 'editor', 'viewer'] as const;
export type OrganisationRole = (typeof organisationRoles)[number];

/** Everything a member may be allowed to do in an organisation. */
export const organisationActions = [
  'read-campaigns',
  'edit-campaigns',
  'erase-supporters',
  'manage-members',
  'manage-settings',
  'read-audit-log',
  'manage-webhooks',
] as const;
export type OrganisationAction = (typeof organisationActions)[number];

/**
 * Owners: members, settings and webhooks (and campaigns); editors: campaigns; viewers: dashboards and results. Webhooks
 * are the owners' alone, reading included: an endpoint's address is often a credential itself (a chat's incoming-hook
 * URL), and its delivery log holds what the receiver answered.
 */
const allowed: Readonly<Record<OrganisationRole, Readonly<Record<OrganisationAction, boolean>>>> = {
  owner: {
    'read-campaigns': true,
    'edit-campaigns': true,
    'erase-supporters': true,
    'manage-members': true,
    'manage-settings': true,
    'read-audit-log': true,
    'manage-webhooks': true,
  },
  editor: {
    'read-campaigns': true,
    'edit-campaigns': true,
    'erase-supporters': true,
    'manage-members': false,
    'manage-settings': false,
    'read-audit-log': false,
    'manage-webhooks': false,
  },
  viewer: {
    'read-campaigns': true,
    'edit-campaigns': false,
    'erase-supporters': false,
    'manage-members': false,
    'manage-settings': false,
    'read-audit-log': false,
    'manage-webhooks': false,
  },
};

/** Whether a member with this role may do this. */
export function can(role: OrganisationRole, action: OrganisationAction): boolean {
  return allowed[role][action];
}

/** The actions a role allows, in the table's order (the API's roles list and the organisation page show them). */
export function actionsOf(role: OrganisationRole): OrganisationAction[] {
  return organisationActions.filter((action) => can(role, action));
}

/** Whether a text is one of the roles. */
export function isOrganisationRole(text: string): text is OrganisationRole {
  return (organisationRoles as readonly string[]).includes(text);
}

/** Why an action is refused to a role, in words for the member. */
export function refusalOf(role: OrganisationRole, action: OrganisationAction): string {
  switch (action) {
    case 'read-campaigns':
      return `a ${role} cannot see this organisation's campaigns`;
    case 'edit-campaigns':
      return `a ${role} can read this organisation's campaigns but not change them`;
    case 'erase-supporters':
      return `a ${role} cannot erase supporters`;
    case 'manage-members':
      return `only an owner manages members and invitations`;
    case 'manage-settings':
      return `only an owner changes the organisation's settings`;
    case 'read-audit-log':
      return `only an owner reads the audit log`;
    case 'manage-webhooks':
      return `only an owner sees and manages the organisation's webhooks`;
  }
}

/**
 * Whether removing a member or changing their role leaves the organisation without an owner: the last owner
 * cannot leave, be removed or be demoted, or nobody could manage it again.
 */
export function leavesNoOwner(owners: number, member: OrganisationRole, newRole: OrganisationRole | 'removed'): boolean {
  return member === 'owner' && newRole !== 'owner' && owners <= 1;
}
