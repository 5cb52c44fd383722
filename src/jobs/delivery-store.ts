import DataLoader from 'dataloader';
import type { PostBudget } from '../domain/post-budget.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db, PledgeCredentials } from '../storage/database.ts';
import {
  claimDeliveries,
  completeLaunchIfDone,
  recordDeliveries,
  type ClaimReference,
  type ClaimResult,
  type DeliveryRecord,
} from '../storage/delivery.repository.ts';
import { reservePosts, type BudgetReservation } from '../storage/post-budget.repository.ts';

/** The Postgres writes of a delivery, each one statement or transaction for a whole batch of posts. */
export interface DeliveryStore {
  claim(deliveryId: string): Promise<ClaimResult>;
  credentials(pledgeId: string): Promise<PledgeCredentials | undefined>;
  reserve(network: NetworkId, budget: PostBudget): Promise<BudgetReservation>;
  record(claim: ClaimReference, record: DeliveryRecord): Promise<boolean>;
  completeLaunch(campaignId: string): Promise<boolean>;
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
  const grants = new DataLoader<string, PledgeCredentials | undefined>(async (pledgeIds) => {
    const rows = await db.selectFrom('pledge_credentials').selectAll().where('pledge_id', 'in', [...new Set(pledgeIds)]).execute();
    const byPledge = new Map(rows.map((row) => [row.pledge_id, row]));
    return pledgeIds.map((id) => byPledge.get(id));
  }, batching);
  const outcomes = new DataLoader<{ claim: ClaimReference; record: DeliveryRecord }, boolean>((items) => recordDeliveries(db, items), batching);
  const launches = new DataLoader<string, boolean>(async (campaignIds) => {
    const done = new Map<string, boolean>();
    for (const id of new Set(campaignIds)) done.set(id, await completeLaunchIfDone(db, id));
    return campaignIds.map((id) => done.get(id) ?? false);
  }, batching);
  const reservations = new DataLoader<{ network: NetworkId; budget: PostBudget }, BudgetReservation>(async (asks) => {
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
  }, batching);

  return {
    claim: (deliveryId) => claims.load(deliveryId),
    credentials: (pledgeId) => grants.load(pledgeId),
    reserve: (network, budget) => reservations.load({ network, budget }),
    record: (claim, record) => outcomes.load({ claim, record }),
    completeLaunch: (campaignId) => launches.load(campaignId),
  };
}
