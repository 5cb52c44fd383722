/**
 * Where one pledge's post stands after launch.
 * queued: waiting for a worker, nothing posted; held: waiting for the app's posting budget or
 * the account's cap to renew, or for its network's pause to end (X's credits), nothing posted; claimed: a worker holds it under a lease and may be calling the
 * network; unknown: the network may or may not have posted it, so it is looked for before any
 * new attempt; sent / failed: final.
 */
export const deliveryStates = ['queued', 'held', 'claimed', 'unknown', 'sent', 'failed'] as const;

export type DeliveryState = (typeof deliveryStates)[number];

/** The states a worker may claim a delivery from (a `claimed` one only once its lease has run out). */
export const claimableDeliveryStates = ['queued', 'held', 'unknown', 'claimed'] as const satisfies readonly DeliveryState[];

/** Whether nothing more will happen to a delivery in this state. */
export function isDeliveryFinal(state: DeliveryState): boolean {
  switch (state) {
    case 'sent':
    case 'failed':
      return true;
    case 'queued':
    case 'held':
    case 'claimed':
    case 'unknown':
      return false;
  }
}

/**
 * Whether a post may already have gone out when a delivery is claimed from this state: then
 * the account is looked at before posting. A `claimed` delivery being claimed again is one whose
 * worker died or stalled with the lease, at any point, perhaps mid-request.
 */
export function mayAlreadyBePosted(state: DeliveryState): boolean {
  switch (state) {
    case 'claimed':
    case 'unknown':
      return true;
    case 'queued':
    case 'held':
      return false;
    case 'sent':
    case 'failed':
      throw new Error(`a ${state} delivery is final and cannot be claimed`);
  }
}
