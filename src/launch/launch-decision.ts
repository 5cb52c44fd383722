import { isGoalMet } from '../domain/goal.ts';
import type { XMode } from '../networks/x/x-mode.ts';
import type { Db } from '../storage/database.ts';
import { lockCampaignForLaunch } from '../storage/launch.repository.ts';

/** What the launch job may do with a campaign now. */
export type LaunchDecision =
  /** Hand out deliveries, from after `cursor` (null: from the first pledge). */
  | { readonly kind: 'launching'; readonly cursor: string | null; readonly xMode: XMode }
  | { readonly kind: 'not-yet'; readonly launchAt: Date }
  | { readonly kind: 'missed-goal'; readonly supporters: number; readonly goal: number }
  | { readonly kind: 'nothing-to-do'; readonly reason: string };

/**
 * Checks the goal at the launch time and moves the campaign out of `collecting`, under the
 * campaign's row lock (see lockCampaignForLaunch), or finds where a launch already started got to.
 */
export function decideLaunch(db: Db, campaignId: string, now: Date): Promise<LaunchDecision> {
  return lockCampaignForLaunch(db, campaignId, async ({ campaign, countSupporters, startLaunch, missGoal }): Promise<LaunchDecision> => {
    if (campaign === undefined) return { kind: 'nothing-to-do', reason: 'the campaign no longer exists' };
    switch (campaign.state) {
      case 'launching':
        return campaign.release_enqueued_at === null
          ? { kind: 'launching', cursor: campaign.release_cursor, xMode: campaign.x_mode }
          : { kind: 'nothing-to-do', reason: 'every pledge was already handed out' };
      case 'collecting':
        break;
      // Waiting for review or suspended, it cannot launch: approving or reinstating it schedules the launch again.
      case 'draft':
      case 'in_review':
      case 'suspended':
      case 'launched':
      case 'missed_goal':
      case 'cancelled':
        return { kind: 'nothing-to-do', reason: `the campaign is ${campaign.state}` };
    }
    if (campaign.launch_at.getTime() > now.getTime()) return { kind: 'not-yet', launchAt: campaign.launch_at };
    const supporters = await countSupporters();
    if (!isGoalMet(supporters, campaign.goal)) {
      await missGoal(now);
      return { kind: 'missed-goal', supporters, goal: campaign.goal };
    }
    await startLaunch(now);
    return { kind: 'launching', cursor: null, xMode: campaign.x_mode };
  });
}
