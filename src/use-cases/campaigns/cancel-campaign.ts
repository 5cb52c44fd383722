import type { ChorusContext } from '../../chorus-context.ts';
import { cancelLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaign } from '../../storage/campaign.repository.ts';
import { eraseCampaignCredentials } from '../../storage/credentials.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';

/** Cancels a campaign before launch: nothing is posted and supporters' access is erased. */
export async function cancelCampaign(ctx: ChorusContext, campaign: Campaign): Promise<Outcome<Campaign>> {
  const updated = await moveCampaign(ctx.db, campaign.id, 'cancelled', { ended_at: new Date() });
  if (updated === undefined) return conflict(`the campaign is ${campaign.state} and can no longer be cancelled`);
  await cancelLaunch(ctx.queues.launches, campaign.id);
  await eraseCampaignCredentials(ctx.db, campaign.id);
  return done(updated);
}
