import { isCampaignEditable } from '../../domain/campaign-state.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { conflict, type Outcome } from '../use-case-outcome.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** The campaign whose own X account an owner or editor is about to connect; a conflict once it has started launching. */
export async function startCampaignAccountConnect(db: Db, organiserId: string, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(db, organiserId, campaignId, 'edit-campaigns');
  if (found.kind === 'done' && !isCampaignEditable(found.value.state))
    return conflict(`the campaign is ${found.value.state}; its account can no longer change`);
  return found;
}
