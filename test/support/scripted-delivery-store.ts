import type { DeliveryStore } from '../../src/delivery/delivery-store.ts';
import type { NetworkId } from '../../src/networks/network-id.ts';
import type { ClaimResult, DeliveryRecord } from '../../src/storage/delivery.repository.ts';
import type { NetworkHold } from '../../src/storage/network-hold.repository.ts';
import type { BudgetReservation } from '../../src/storage/post-budget.repository.ts';

/** A DeliveryStore in memory, and what it was asked to write. */
export interface ScriptedDeliveryStore extends DeliveryStore {
  readonly recorded: DeliveryRecord[];
  readonly completed: string[];
  /** Posts given back to a budget, in order. */
  readonly givenBack: { network: NetworkId; bucketStart: Date }[];
  /** The paused networks as the deliveries left them. */
  readonly holds: Map<NetworkId, NetworkHold>;
}

/**
 * A DeliveryStore kept in memory for unit tests of the delivery decisions: claims answered by
 * `claim`, budget answers in order (a reservation asked for with none scripted fails the test),
 * and pauses kept in a map, changed as the store under test would change them in Postgres.
 */
export function scriptedDeliveryStore(
  claim: ClaimResult | ((deliveryId: string) => ClaimResult),
  reservations: BudgetReservation[] = [],
  holds: Map<NetworkId, NetworkHold> = new Map(),
): ScriptedDeliveryStore {
  const recorded: DeliveryRecord[] = [];
  const completed: string[] = [];
  const givenBack: { network: NetworkId; bucketStart: Date }[] = [];
  return {
    recorded,
    completed,
    givenBack,
    holds,
    claim: async (deliveryId) => (typeof claim === 'function' ? claim(deliveryId) : claim),
    reserve: async () => {
      const next = reservations.shift();
      if (next === undefined) throw new Error('no reservation was scripted');
      return next;
    },
    giveBack: async (network, bucketStart) => {
      givenBack.push({ network, bucketStart });
    },
    record: async (_claim, record) => {
      recorded.push(record);
      return true;
    },
    completeLaunch: async (campaignId) => {
      completed.push(campaignId);
      return true;
    },
    changePause: async (network, decide) => {
      const { store, result } = decide(holds.get(network));
      if (store !== null) holds.set(network, store);
      return result;
    },
    endPause: async (network, probeDeliveryId) => {
      const hold = holds.get(network);
      if (hold?.probeDeliveryId !== probeDeliveryId) return undefined;
      holds.delete(network);
      return hold;
    },
  };
}
