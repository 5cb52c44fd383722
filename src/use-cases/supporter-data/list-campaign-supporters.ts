import type { Db } from '../../storage/database.ts';
import { listCampaignSupporters as listCampaignSupporterRows } from '../../storage/pledge.repository.ts';
import { findOrganiserCampaign } from '../campaigns/find-organiser-campaign.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** A supporter as their campaign's organiser sees them, to erase one on request. */
export type CampaignSupporter = Awaited<ReturnType<typeof listCampaignSupporterRows>>[number];

/**
 * An organiser's campaign's supporters: the most recent active ones, or, with `handle`, every one whose handle
 * contains it (withdrawn too). Not-found for anyone else's campaign.
 */
export async function listCampaignSupporters(
  db: Db,
  organiserId: string,
  campaignId: string,
  options: { handle?: string; limit: number },
): Promise<Outcome<CampaignSupporter[]>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign.kind !== 'done') return campaign;
  return done(await listCampaignSupporterRows(db, campaign.value.id, options));
}
