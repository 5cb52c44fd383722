/** What an account may do on the instance: operators run it (review, reports, suspensions, settings); organisers run campaigns. */
export const organiserRoles = ['organiser', 'operator'] as const;

export type OrganiserRole = (typeof organiserRoles)[number];

/** Whether an account may act: `awaiting_approval` (signed up while sign-up needs approval), `active`, or `suspended` by an operator. */
export const organiserStandings = ['awaiting_approval', 'active', 'suspended'] as const;

export type OrganiserStanding = (typeof organiserStandings)[number];

/** Why an account in this standing may not sign in, or null when it may. */
export function standingRefusal(standing: OrganiserStanding): string | null {
  switch (standing) {
    case 'active':
      return null;
    case 'awaiting_approval':
      return 'this account is waiting for an operator of this Chorus to approve it';
    case 'suspended':
      return 'this account has been suspended by an operator of this Chorus';
  }
}
