import { findOrganiserCampaign as findOrganiserCampaignRow } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** One of an organiser's campaigns; not-found for anyone else's, so they cannot tell it exists. */
export async function findOrganiserCampaign(db: Db, organiserId: string, campaignId: string): Promise<Outcome<Campaign>> {
  const campaign = await findOrganiserCampaignRow(db, organiserId, campaignId);
  return campaign === undefined ? notFound('campaign') : done(campaign);
}
