import DataLoader from 'dataloader';
import type { PostBudget } from '../domain/post-budget.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db } from '../storage/database.ts';
import {
  claimDeliveries,
  completeLaunchIfDone,
  recordDeliveries,
  type ClaimReference,
  type ClaimResult,
  type DeliveryRecord,
} from '../storage/delivery.repository.ts';
import { changeNetworkHold, endNetworkHold, type NetworkHold } from '../storage/network-hold.repository.ts';
import { reservePosts, returnPost, type BudgetReservation } from '../storage/post-budget.repository.ts';

/**
 * The Postgres writes of a delivery: claims, reservations, outcomes and launch checks each one
 * statement or transaction for a whole batch of posts; the rarer ones (a post given back, a
 * network's pause) one each.
 */
export interface DeliveryStore {
  claim(deliveryId: string): Promise<ClaimResult>;
  reserve(network: NetworkId, budget: PostBudget): Promise<BudgetReservation>;
  /** Gives a reserved post back to the network's budget: the network certainly did not publish it. */
  giveBack(network: NetworkId, bucketStart: Date): Promise<void>;
  record(claim: ClaimReference, record: DeliveryRecord): Promise<boolean>;
  completeLaunch(campaignId: string): Promise<boolean>;
  /** Lets `decide` change the network's pause under its lock (`store: null` leaves it), and answers what it decided. */
  changePause<T>(network: NetworkId, decide: (current: NetworkHold | undefined) => { store: NetworkHold | null; result: T }): Promise<T>;
  /** Ends the network's pause after its probe's post went out; the pause that ended, if this delivery was still its probe. */
  endPause(network: NetworkId, probeDeliveryId: string): Promise<NetworkHold | undefined>;
}

/**
 * Coalesces the calls that concurrent deliveries make within a few milliseconds into one
 * statement or transaction each (DataLoader, with its cache off: every call is answered by the
 * database). A release of thousands of posts then pays one commit per batch, not per post,
 * while each delivery keeps its own claim, lease and outcome.
 */
export function createDeliveryStore(db: Db, options: { leaseMs: number; maxBatch?: number; windowMs?: number }): DeliveryStore {
  const batching = {
    cache: false,
    maxBatchSize: options.maxBatch ?? 500,
    batchScheduleFn: (run: () => void) => setTimeout(run, options.windowMs ?? 2),
  } as const;

  const claims = new DataLoader<string, ClaimResult>((ids) => claimDeliveries(db, ids, options.leaseMs), batching);
  const outcomes = new DataLoader<{ claim: ClaimReference; record: DeliveryRecord }, boolean>(
    (items) => recordDeliveries(db, items),
    batching,
  );
  // Reservations take the network's budget lock, so two at once would only queue on each other
  // (and on each other's commits): one runs at a time, and the asks that come meanwhile wait together for the next.
  const oneReservation = oneBatchAtATime(batching);
  const reservations = new DataLoader<{ network: NetworkId; budget: PostBudget }, BudgetReservation>(
    (asks) =>
      oneReservation.run(async () => {
        // One reservation per network in the batch, handed out in the order the posts asked.
        const answers = new Map<NetworkId, BudgetReservation[]>();
        for (const network of new Set(asks.map((ask) => ask.network))) {
          const mine = asks.filter((ask) => ask.network === network);
          const budget = mine[0]?.budget;
          if (budget !== undefined) answers.set(network, await reservePosts(db, network, budget, mine.length, new Date()));
        }
        return asks.map((ask) => {
          const answer = answers.get(ask.network)?.shift();
          if (answer === undefined) throw new Error(`no reservation was made for ${ask.network}`);
          return answer;
        });
      }),
    oneReservation.options,
  );
  // Whether a launch is done only needs asking once per finished batch, after the outcomes before it.
  const oneLaunchCheck = oneBatchAtATime(batching);
  const launches = new DataLoader<string, boolean>(
    (campaignIds) =>
      oneLaunchCheck.run(async () => {
        const done = new Map<string, boolean>();
        for (const id of new Set(campaignIds)) done.set(id, await completeLaunchIfDone(db, id));
        return campaignIds.map((id) => done.get(id) ?? false);
      }),
    oneLaunchCheck.options,
  );

  return {
    claim: (deliveryId) => claims.load(deliveryId),
    reserve: (network, budget) => reservations.load({ network, budget }),
    giveBack: (network, bucketStart) => returnPost(db, network, bucketStart),
    record: (claim, record) => outcomes.load({ claim, record }),
    completeLaunch: (campaignId) => launches.load(campaignId),
    changePause: (network, decide) => changeNetworkHold(db, network, decide),
    endPause: (network, probeDeliveryId) => endNetworkHold(db, network, probeDeliveryId),
  };
}

/**
 * DataLoader options under which a batch starts only once the one before it has finished,
 * so the calls made meanwhile gather into the next batch instead of starting their own.
 */
function oneBatchAtATime(batching: { cache: false; maxBatchSize: number; batchScheduleFn: (run: () => void) => void }) {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    options: {
      ...batching,
      batchScheduleFn: (run: () => void) => {
        void previous.then(() => {
          batching.batchScheduleFn(run);
        });
      },
    },
    run<T>(work: () => Promise<T>): Promise<T> {
      const running = work();
      previous = running.catch(() => undefined);
      return running;
    },
  };
}
