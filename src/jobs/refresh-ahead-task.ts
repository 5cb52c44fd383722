import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { refreshTokensAheadOfLaunch } from '../launch/refresh-ahead-of-launch.ts';
import { listCampaignsLaunchingBefore } from '../storage/campaign.repository.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';

/**
 * Every `intervalMs`, gets the campaigns launching within the configured lead ready: their
 * networks' modules loaded, so the launch's first post does not wait for them, and their tokens refreshed.
 */
export function startRefreshingAheadOfLaunches(ctx: ChorusContext, log: Logger, intervalMs: number, stopping: () => boolean): PeriodicTask {
  const { config } = ctx;
  const refreshing = { ...ctx, refreshesPerSecond: config.TOKEN_REFRESHES_PER_SECOND, stopping };
  return runPeriodically(
    intervalMs,
    async () => {
      const now = new Date();
      const campaigns = await listCampaignsLaunchingBefore(ctx.db, now, new Date(now.getTime() + config.TOKEN_REFRESH_LEAD_SECONDS * 1000));
      for (const campaign of campaigns) {
        if (stopping()) return;
        for (const id of campaign.networks) await ctx.networks.load(id);
        const result = await refreshTokensAheadOfLaunch(refreshing, campaign);
        if (result.refreshed + result.revoked + result.deferred > 0)
          log.info({ campaignId: campaign.id, ...result }, 'tokens refreshed ahead of the launch');
      }
    },
    (error) => {
      log.error({ err: error }, 'refreshing tokens ahead of a launch failed');
    },
  );
}
