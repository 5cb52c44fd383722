import { nextProbeAt, type NetworkPauseAnswer } from '../domain/network-pause.ts';
import { storableNetworkReason } from '../domain/network-text.ts';
import type { BackoffPolicy } from '../domain/retry-backoff.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { NetworkHold } from '../storage/network-hold.repository.ts';

/** Who met a network's pause: a delivery (which may become the probe), or, with no delivery, the campaign's own post (repost mode). */
export interface PauseMeeting {
  readonly network: NetworkId;
  readonly deliveryId: string | null;
  readonly answer: NetworkPauseAnswer;
}

/** What meeting a pause does to the network's hold. */
export type PauseDecision =
  /** The network was not paused: it is now, and whoever met it probes first, at `hold.nextProbeAt`. */
  | { readonly kind: 'started'; readonly hold: NetworkHold }
  /** The probe met the pause again (or took the probe's empty place): it probes again, later. */
  | { readonly kind: 'extended'; readonly hold: NetworkHold }
  /** Another delivery probes: this one waits, with no time of its own, for the pause to end. */
  | { readonly kind: 'joined'; readonly hold: NetworkHold };

/**
 * Decides what a pause answer does to the network's hold, as it stands under the hold's lock. One
 * delivery at a time probes; every probe that meets the pause again puts the next one further off
 * (capped exponential backoff from `probePolicy`, or the reset the network gave). `random` is in [0, 1). The network's
 * words are kept as `storableNetworkReason` makes them.
 */
export function decideOnPause(
  current: NetworkHold | undefined,
  meeting: PauseMeeting,
  now: Date,
  probePolicy: BackoffPolicy,
  random: number,
): PauseDecision {
  const { answer } = meeting;
  if (current === undefined) {
    return {
      kind: 'started',
      hold: {
        network: meeting.network,
        cause: answer.cause,
        reason: storableNetworkReason(answer.reason),
        since: now,
        nextProbeAt: nextProbeAt(answer, 1, now, probePolicy, random),
        probes: 0,
        probeDeliveryId: meeting.deliveryId,
      },
    };
  }
  // A delivery takes an empty probe's place; the campaign's own post never takes a delivery's.
  if (current.probeDeliveryId !== null && current.probeDeliveryId !== meeting.deliveryId) return { kind: 'joined', hold: current };
  const probes = current.probes + 1;
  return {
    kind: 'extended',
    hold: {
      ...current,
      cause: answer.cause,
      reason: storableNetworkReason(answer.reason),
      nextProbeAt: nextProbeAt(answer, probes + 1, now, probePolicy, random),
      probes,
      probeDeliveryId: meeting.deliveryId,
    },
  };
}
