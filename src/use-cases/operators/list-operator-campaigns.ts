import type { CampaignState } from '../../domain/campaign-state.ts';
import { listCampaignsInState, type OperatorCampaign } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

const listed = 500;

/** Every campaign in a state (up to 500), with who runs it, soonest launch first. */
export async function listOperatorCampaigns(db: Db, state: CampaignState): Promise<Outcome<OperatorCampaign[]>> {
  return done(await listCampaignsInState(db, state, listed));
}
