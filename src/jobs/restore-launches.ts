import type { ChorusContext } from '../chorus-context.ts';
import { listCampaignsAwaitingLaunch } from '../storage/campaign.repository.ts';
import { scheduleLaunch } from './launch-schedule.ts';

/** Puts a launch job back for every campaign that Postgres says still needs one. */
export async function restoreLaunches(ctx: Pick<ChorusContext, 'db' | 'queues'>): Promise<number> {
  const campaigns = await listCampaignsAwaitingLaunch(ctx.db);
  for (const campaign of campaigns) await scheduleLaunch(ctx.queues.launches, campaign.id, campaign.launch_at);
  return campaigns.length;
}
