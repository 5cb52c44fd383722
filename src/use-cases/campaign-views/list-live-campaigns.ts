import { campaignPhase } from '../../domain/campaign-phase.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { formatTimeLeft } from '../../domain/time-left.ts';
import { listListedLiveCampaigns } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';

/** How many listed campaigns the home page shows at most (the soonest launches). */
export const LIVE_CAMPAIGNS_SHOWN = 24;

/** The home page's cards: the live campaigns whose organisers chose to list them, with their progress. */
export async function listLiveCampaigns(db: Db) {
  const campaigns = await listListedLiveCampaigns(db, LIVE_CAMPAIGNS_SHOWN);
  const number = (n: number) => n.toLocaleString('en-GB');
  return campaigns.map((c) => {
    const phase = campaignPhase(c, null);
    return {
      slug: c.slug,
      title: c.title,
      summary: (c.description.trim() === '' ? c.message : c.description).replace(/\s+/g, ' ').slice(0, 160),
      supporters: number(c.supporter_count),
      supporterCount: c.supporter_count,
      goal: number(c.goal),
      goalValue: c.goal,
      progressValue: Math.min(c.supporter_count, c.goal),
      percent: percentOfGoal(c.supporter_count, c.goal),
      reach: number(c.reach),
      reachValue: c.reach,
      goalReached: phase.kind === 'goal-reached',
      launching: phase.kind === 'launching',
      launchAt: formatLaunchTime(c.launch_at, c.time_zone),
      launchAtIso: c.launch_at.toISOString(),
      timeZone: c.time_zone,
      timeLeft: formatTimeLeft(c.launch_at.getTime() - Date.now()) ?? 'launch time reached',
    };
  });
}

/** One card on the home page. */
export type LiveCampaignCard = Awaited<ReturnType<typeof listLiveCampaigns>>[number];
