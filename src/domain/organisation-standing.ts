/** Whether an organisation may act: `active`, or `suspended` by an operator of the instance. */
export const organisationStandings = ['active', 'suspended'] as const;

export type OrganisationStanding = (typeof organisationStandings)[number];

/** The longest reason an operator may give for suspending an organisation. */
export const organisationSuspensionLimits = { reasonMaxLength: 2000 } as const;

/** What a member of a suspended organisation is told, on every request acting on it (the API's 403 and the pages). */
export const organisationSuspendedMessage =
  "this organisation has been suspended by this Chorus's operators: its campaigns, members and settings cannot be used until they lift the suspension";
