import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignEnded } from '../../domain/campaign-state.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { describeNetworkPause } from '../../domain/network-pause.ts';
import type { Campaign } from '../../storage/database.ts';
import type { NetworkHold } from '../../storage/network-hold.repository.ts';

/**
 * The paused networks a campaign posts to, as its organiser reads them: while the campaign can
 * still post (not ended), one sentence per network saying that its posts wait and resume by
 * themselves. The network's own words (`reason`) stay in the operator's log: they may name the
 * operator's account.
 */
export function networkPausesFor(ctx: Pick<ChorusContext, 'networks'>, campaign: Campaign, holds: readonly NetworkHold[]) {
  if (isCampaignEnded(campaign.state)) return [];
  return holds
    .filter((hold) => campaign.networks.includes(hold.network))
    .map((hold) => {
      const name = ctx.networks.outline(hold.network)?.displayName ?? hold.network;
      const resumesAt = hold.cause === 'app-daily-cap' ? formatLaunchTime(hold.nextProbeAt, campaign.time_zone) : null;
      return {
        network: hold.network,
        cause: hold.cause,
        since: hold.since.toISOString(),
        message: describeNetworkPause(name, hold.cause, resumesAt),
      };
    });
}

export type NetworkPauseView = ReturnType<typeof networkPausesFor>[number];
