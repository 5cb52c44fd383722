import { listMemberCampaigns } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The campaigns of every organisation the organiser is a member of, or of one of them (not-found when they are not in it). */
export async function listOrganiserCampaigns(db: Db, organiserId: string, organisationId?: string): Promise<Outcome<Campaign[]>> {
  if (organisationId !== undefined) {
    const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-campaigns');
    if (access.kind !== 'done') return access;
  }
  return done(await listMemberCampaigns(db, organiserId, organisationId));
}
