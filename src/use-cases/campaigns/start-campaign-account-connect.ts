import { isCampaignEditable } from '../../domain/campaign-state.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { conflict, type Outcome } from '../use-case-outcome.ts';
import { findOrganiserCampaign } from './find-organiser-campaign.ts';

/** The organiser's campaign whose own X account they are about to connect; a conflict once it has started launching. */
export async function startCampaignAccountConnect(db: Db, organiserId: string, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findOrganiserCampaign(db, organiserId, campaignId);
  if (found.kind === 'done' && !isCampaignEditable(found.value.state))
    return conflict(`the campaign is ${found.value.state}; its account can no longer change`);
  return found;
}
