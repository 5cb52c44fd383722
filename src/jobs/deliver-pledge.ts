import type { NetworkId } from '../networks/network-id.ts';
import type { SocialNetwork } from '../networks/social-network.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import { eraseCredentials } from '../storage/credentials.repository.ts';
import type { Db } from '../storage/database.ts';
import { claimDelivery, completeLaunchIfDone, recordDelivery, type ClaimedDelivery, type DeliveryRecord } from '../storage/delivery.repository.ts';
import { obtainAccessToken } from './obtain-access-token.ts';
import { publishDelivery } from './publish-delivery.ts';

export interface DeliveryContext {
  readonly db: Db;
  readonly cipher: TokenCipher;
  readonly networks: ReadonlyMap<NetworkId, SocialNetwork>;
}

/** What one delivery job did; the worker turns the retry steps into delayed retries. */
export type DeliveryStep =
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'done'; readonly record: DeliveryRecord }
  | { readonly kind: 'retry-after'; readonly seconds: number; readonly reason: string }
  | { readonly kind: 'retry-with-backoff'; readonly reason: string };

/**
 * Posts one pledge at most once: the delivery is claimed in Postgres before the network is
 * called, and the outcome is written back to the same row. `lastAttempt` turns a retryable
 * problem into a final failure with its reason.
 */
export async function deliverPledge(ctx: DeliveryContext, deliveryId: string, lastAttempt: boolean): Promise<DeliveryStep> {
  const delivery = await claimDelivery(ctx.db, deliveryId);
  if (delivery === undefined) return { kind: 'already-handled' };

  const step = await attemptDelivery(ctx, delivery);
  switch (step.kind) {
    case 'done':
      await recordDelivery(ctx.db, delivery.id, step.record);
      if (step.record.state === 'sent' || step.record.state === 'failed') await eraseCredentials(ctx.db, [delivery.pledgeId]);
      await completeLaunchIfDone(ctx.db, delivery.campaignId);
      return step;
    case 'retry-after':
    case 'retry-with-backoff':
      if (lastAttempt) {
        const failed: DeliveryStep = { kind: 'done', record: { state: 'failed', reason: `gave up after ${delivery.attempts} attempts: ${step.reason}` } };
        await recordDelivery(ctx.db, delivery.id, failed.record);
        await eraseCredentials(ctx.db, [delivery.pledgeId]);
        await completeLaunchIfDone(ctx.db, delivery.campaignId);
        return failed;
      }
      await recordDelivery(ctx.db, delivery.id, { state: 'queued', reason: step.reason });
      return step;
  }
}

async function attemptDelivery(ctx: DeliveryContext, delivery: ClaimedDelivery): Promise<Exclude<DeliveryStep, { kind: 'already-handled' }>> {
  const network = ctx.networks.get(delivery.network);
  if (network === undefined) return { kind: 'done', record: { state: 'failed', reason: `${delivery.network} is not configured on this Chorus` } };

  const token = await obtainAccessToken(ctx, delivery.pledgeId, network);
  switch (token.kind) {
    case 'missing':
      return { kind: 'done', record: { state: 'failed', reason: 'the supporter\'s access was already erased' } };
    case 'revoked':
      return { kind: 'done', record: { state: 'failed', reason: token.reason } };
    case 'retry-with-backoff':
      return token;
    case 'token':
      break;
  }

  const outcome = await publishDelivery(ctx, network, token.accessToken, delivery);
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'done', record: { state: 'sent', postId: outcome.postId } };
    case 'failed':
      return { kind: 'done', record: { state: 'failed', reason: outcome.reason } };
    case 'unknown-outcome':
      // Posting again could post twice; it stays unknown until it is checked against the account.
      return { kind: 'done', record: { state: 'unknown', reason: outcome.reason } };
    case 'retry-after':
    case 'retry-with-backoff':
      return outcome;
  }
}
