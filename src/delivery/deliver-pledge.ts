import type { NetworkRegistry } from '../networks/network-registry.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from '../storage/database.ts';
import type { DeliveryRecord } from '../storage/delivery.repository.ts';
import type { NetworkHold } from '../storage/network-hold.repository.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import type { CampaignPostReader } from './campaign-post-reader.ts';
import type { DeliveryPolicy } from './delivery-policy.ts';
import { createDeliveryStore, type DeliveryStore } from './delivery-store.ts';
import type { PauseDecision } from './network-pause-decision.ts';
import { storableDeliveryRecord } from './storable-delivery-record.ts';

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

/** What a delivery did to its network's pause: met it (see PauseDecision), or, as the probe whose post went out, ended it. */
export type PauseChange = PauseDecision | { readonly kind: 'ended'; readonly hold: NetworkHold };

/**
 * What one delivery job did; the worker brings the job back at `until` or `nextAttemptAt` (a held
 * record with no time waits for its network's pause to end, and a pause that ended wakes the rest).
 */
export type DeliveryStep =
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'busy'; readonly until: Date }
  /** Its network is paused: it was not claimed, and waits with no job until the pause ends. */
  | { readonly kind: 'paused' }
  /** The lease ran out while this worker was busy, and another worker took the delivery over. */
  | { readonly kind: 'claim-lost' }
  | { readonly kind: 'done'; readonly record: DeliveryRecord; readonly pause?: PauseChange };

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
    case 'paused':
      return { kind: 'paused' };
    case 'claimed':
      break;
  }
  const delivery = claim.delivery;
  const attempt = await attemptDelivery(ctx, store, delivery);
  const { pause } = attempt;
  const record = storableDeliveryRecord(attempt.record);
  if (!(await store.record(delivery, record))) return { kind: 'claim-lost' };
  // The probe's post went out: the network posts again, and its pause ends on this first success.
  const ended = record.state === 'sent' && delivery.probe ? await store.endPause(delivery.network, delivery.id) : undefined;
  if (record.state === 'sent' || record.state === 'failed') await store.completeLaunch(delivery.campaignId);
  const change: PauseChange | undefined = ended === undefined ? pause : { kind: 'ended', hold: ended };
  return change === undefined ? { kind: 'done', record } : { kind: 'done', record, pause: change };
}
