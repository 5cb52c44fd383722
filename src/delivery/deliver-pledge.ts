import type { NetworkRegistry } from '../networks/network-registry.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from '../storage/database.ts';
import type { DeliveryRecord } from '../storage/delivery.repository.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import type { CampaignPostReader } from './campaign-post-reader.ts';
import type { DeliveryPolicy } from './delivery-policy.ts';
import { createDeliveryStore, type DeliveryStore } from './delivery-store.ts';

export interface DeliveryContext {
  readonly db: Db;
  /** Where claims, reservations and outcomes are written; batched in the worker. */
  readonly store?: DeliveryStore;
  readonly cipher: TokenCipher;
  readonly networks: Pick<NetworkRegistry, 'load'>;
  readonly policy: DeliveryPolicy;
  /** Jitter source in [0, 1); tests may pin it. */
  readonly random?: () => number;
  /**
   * Runs one call to the network within the process's limit of calls in flight. Only the calls
   * are limited: claims, reservations and outcomes go on beside them, so the limit stays full.
   */
  readonly onTheWire?: <T>(call: () => Promise<T>) => Promise<T>;
  /** Where reposts read the campaign's own post; the worker keeps one reader, which remembers decided posts. */
  readonly campaignPosts?: CampaignPostReader;
}

/** What one delivery job did; the worker brings the job back at `until` or `nextAttemptAt`. */
export type DeliveryStep =
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'busy'; readonly until: Date }
  /** The lease ran out while this worker was busy, and another worker took the delivery over. */
  | { readonly kind: 'claim-lost' }
  | { readonly kind: 'done'; readonly record: DeliveryRecord };

/**
 * Posts one pledge at most once. The delivery is claimed in Postgres under a lease before the
 * network is called, and the outcome is written back by that claim only. A delivery that may
 * already have been posted (an unknown outcome, or a claim whose worker died) is looked for on
 * the account before anything is posted again.
 */
export async function deliverPledge(ctx: DeliveryContext, deliveryId: string): Promise<DeliveryStep> {
  const store = ctx.store ?? createDeliveryStore(ctx.db, { leaseMs: ctx.policy.leaseMs });
  const claim = await store.claim(deliveryId);
  switch (claim.kind) {
    case 'finished':
      return { kind: 'already-handled' };
    case 'busy':
      return claim;
    case 'claimed':
      break;
  }
  const delivery = claim.delivery;
  const record = await attemptDelivery(ctx, store, delivery);
  if (!(await store.record(delivery, record))) return { kind: 'claim-lost' };
  if (record.state === 'sent' || record.state === 'failed') await store.completeLaunch(delivery.campaignId);
  return { kind: 'done', record };
}
