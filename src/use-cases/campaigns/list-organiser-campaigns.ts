import { listOrganiserCampaigns as listOrganiserCampaignRows } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';

/** An organiser's campaigns, soonest launch first. */
export function listOrganiserCampaigns(db: Db, organiserId: string): Promise<Campaign[]> {
  return listOrganiserCampaignRows(db, organiserId);
}
