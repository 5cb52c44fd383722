import { can, refusalOf, type OrganisationAction, type OrganisationRole } from '../../domain/organisation-role.ts';
import { findMemberCampaign as findMemberCampaignRow } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { findMemberRole } from '../../storage/organisation.repository.ts';
import { done, forbidden, notFound, type Outcome } from '../use-case-outcome.ts';

// The one place a member's role is checked against what they ask to do. Every use case that reads or changes a
// campaign, an organisation or its members starts here: a stranger to the organisation gets not-found (they cannot
// tell it exists), a member whose role does not allow the action gets forbidden.

/** A campaign with the caller's role in its organisation. */
export type MemberCampaign = Campaign & { readonly member_role: OrganisationRole };

/** A campaign of one of the organiser's organisations, if their role there allows `action` on it. */
export async function findMemberCampaign(
  db: Db,
  organiserId: string,
  campaignId: string,
  action: OrganisationAction,
): Promise<Outcome<MemberCampaign>> {
  const campaign = await findMemberCampaignRow(db, organiserId, campaignId);
  if (campaign === undefined) return notFound('campaign');
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
  const role = await findMemberRole(db, organisationId, organiserId);
  if (role === undefined) return notFound('organisation');
  if (!can(role, action)) return forbidden(refusalOf(role, action));
  return done(role);
}
