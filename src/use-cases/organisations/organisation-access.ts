import { can, refusalOf, type OrganisationAction, type OrganisationRole } from '../../domain/organisation-role.ts';
import { findMemberCampaign as findMemberCampaignRow } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { organisationSuspendedMessage, type OrganisationStanding } from '../../domain/organisation-standing.ts';
import { findMembership } from '../../storage/organisation.repository.ts';
import { done, forbidden, notFound, type Outcome, type Problem } from '../use-case-outcome.ts';

// The one place a member's role is checked against what they ask to do. Every use case that reads or changes a
// campaign, an organisation or its members starts here: a stranger to the organisation gets not-found (they cannot
// tell it exists), a member whose role does not allow the action gets forbidden. A member of an organisation the
// operators suspended is refused everything there, reads included (forbidden, reason organisation-suspended): the
// same check for a session and an API token, the API and the pages, since both come through here.

/** A campaign with the caller's role in its organisation. */
export type MemberCampaign = Campaign & { readonly member_role: OrganisationRole; readonly organisation_standing: OrganisationStanding };

/** The refusal of every request acting on a suspended organisation. */
export const organisationSuspended: Problem = {
  kind: 'forbidden',
  message: organisationSuspendedMessage,
  reason: 'organisation-suspended',
};

/** A campaign of one of the organiser's organisations, if their role there allows `action` on it. */
export async function findMemberCampaign(
  db: Db,
  organiserId: string,
  campaignId: string,
  action: OrganisationAction,
): Promise<Outcome<MemberCampaign>> {
  const campaign = await findMemberCampaignRow(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
  if (campaign.organisation_standing === 'suspended') return organisationSuspended;
  if (!can(campaign.member_role, action)) return forbidden(refusalOf(campaign.member_role, action));
  return done(campaign);
}

/** The organiser's role in an organisation, if it allows `action` there. */
export async function checkOrganisationAccess(
  db: Db,
  organiserId: string,
  organisationId: string,
  action: OrganisationAction,
): Promise<Outcome<OrganisationRole>> {
  const membership = await findMembership(db, organisationId, organiserId);
  if (membership === undefined) return notFound('organisation');
  if (membership.standing === 'suspended') return organisationSuspended;
  if (!can(membership.role, action)) return forbidden(refusalOf(membership.role, action));
  return done(membership.role);
}
