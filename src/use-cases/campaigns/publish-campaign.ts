import type { ChorusContext } from '../../chorus-context.ts';
import { checkLaunchWindow } from '../../domain/launch-time.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';

/** Opens a draft to supporters and schedules its launch. */
export async function publishCampaign(ctx: ChorusContext, campaign: Campaign): Promise<Outcome<Campaign>> {
  if (campaign.state !== 'draft') return conflict(`the campaign is already ${campaign.state}`);
  const problem = checkLaunchWindow(campaign.launch_at, new Date());
  if (problem !== null) return invalid(`${problem}; move it first`, 'launchAt');
  const updated = await moveCampaign(ctx.db, campaign.id, 'collecting');
  if (updated === undefined) return conflict('the campaign changed meanwhile; reload it');
  await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  return done(updated);
}
