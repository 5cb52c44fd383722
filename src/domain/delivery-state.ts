/**
 * Where one pledge's post stands after launch.
 * queued: waiting for a worker; claimed: a worker won it and may be calling the network;
 * sent / failed: final; unknown: the network may or may not have posted it, so it is not retried blindly.
 */
export const deliveryStates = ['queued', 'claimed', 'sent', 'failed', 'unknown'] as const;

export type DeliveryState = (typeof deliveryStates)[number];

/** Whether nothing more will happen to a delivery in this state. */
export function isDeliveryFinal(state: DeliveryState): boolean {
  switch (state) {
    case 'sent':
    case 'failed':
      return true;
    case 'queued':
    case 'claimed':
    case 'unknown':
      return false;
  }
}
