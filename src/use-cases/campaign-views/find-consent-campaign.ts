import { findCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** The campaign a supporter's consent was for, by id (kept in their session while they were away). */
export async function findConsentCampaign(db: Db, campaignId: string): Promise<Outcome<Campaign>> {
  const campaign = await findCampaign(db, campaignId);
  return campaign === undefined ? notFound('campaign') : done(campaign);
}
