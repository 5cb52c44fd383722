import type { ChorusContext } from '../../chorus-context.ts';
import { checkCampaignTexts } from '../../domain/campaign-message.ts';
import { checkLaunchWindow, parseLaunchTime, type LaunchTime } from '../../domain/launch-time.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { invalid, type Problem } from '../use-case-outcome.ts';

/** The campaign's texts checked against every network it posts to; null when each can go out on each. */
export function checkTextsForNetworks(
  ctx: ChorusContext,
  texts: { message: string; variants: readonly string[]; link: string },
  networkIds: readonly NetworkId[],
): Problem | null {
  const networks = [];
  for (const id of networkIds) {
    const network = ctx.networks.outline(id);
    if (network === undefined) return invalid(`${id} is not configured on this Chorus`, 'networks');
    networks.push(network);
  }
  const problem = checkCampaignTexts(texts, networks);
  return problem === null ? null : invalid(problem.message, problem.field);
}

/** The launch time as given, or the problem with it (unreadable, or outside the window a launch may be set in). */
export function readLaunchTime(launchAt: string, timeZone: string | undefined): LaunchTime | Problem {
  const launch = parseLaunchTime(launchAt, timeZone);
  if (launch.kind === 'problem') return invalid(launch.message, launch.field);
  const problem = checkLaunchWindow(launch.at, new Date());
  if (problem !== null) return invalid(problem, 'launchAt');
  return launch;
}

/** Repost mode's rule: it is for campaigns that post to X. */
export function checkXMode(xMode: string | undefined, networks: readonly NetworkId[]): Problem | null {
  return xMode === 'repost' && !networks.includes('x') ? invalid('repost mode is for campaigns that post to X', 'xMode') : null;
}
