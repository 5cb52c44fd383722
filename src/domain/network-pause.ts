import { backoffDelayMs, resetJitterMs, type BackoffPolicy } from './retry-backoff.ts';

/**
 * Why a network refuses every post of this Chorus for now: `out-of-credits`, the app's prepaid
 * credits ran out (X answers 402); `app-daily-cap`, the app's own 24-hour post cap is spent
 * (X answers 429 with `x-app-limit-24hour-remaining: 0`).
 */
export const networkPauseCauses = ['out-of-credits', 'app-daily-cap'] as const;

export type NetworkPauseCause = (typeof networkPauseCauses)[number];

/** A network's answer that pauses all of its posts: why, when it says it lifts (a cap's reset), and its own words. */
export interface NetworkPauseAnswer {
  readonly cause: NetworkPauseCause;
  /** When the network says the pause ends (the 24-hour cap's reset); none when only trying again can tell (credits). */
  readonly resumesAt: Date | null;
  readonly reason: string;
}

// A reset further away than this is not believed: no cap Chorus knows of lasts longer than a day.
const longestBelievableWaitMs = 25 * 60 * 60 * 1000;

/**
 * When the `probe`-th probe of a paused network is due (the first probe is 1): at the reset the
 * network gave, with a little jitter, or else after a capped exponential backoff. `random` is in [0, 1).
 */
export function nextProbeAt(
  answer: Pick<NetworkPauseAnswer, 'resumesAt'>,
  probe: number,
  now: Date,
  policy: BackoffPolicy,
  random: number,
): Date {
  const resumesAt = answer.resumesAt;
  if (resumesAt !== null && resumesAt > now && resumesAt.getTime() - now.getTime() <= longestBelievableWaitMs) {
    return new Date(resumesAt.getTime() + resetJitterMs(random));
  }
  return new Date(now.getTime() + backoffDelayMs(probe, policy, random));
}

/**
 * What the organiser reads while a network is paused: what happened, and that nothing is needed
 * of them. `resumesAt` is the reset the network gave, already written in the campaign's time zone.
 */
export function describeNetworkPause(networkName: string, cause: NetworkPauseCause, resumesAt: string | null): string {
  switch (cause) {
    case 'out-of-credits':
      return `${networkName} posting is paused: the instance's ${networkName} credits ran out; posts will resume by themselves`;
    case 'app-daily-cap':
      return `${networkName} posting is paused: the instance reached ${networkName}'s 24-hour post limit for the app; posts will resume by themselves${resumesAt === null ? '' : ` after ${resumesAt}`}`;
  }
}
