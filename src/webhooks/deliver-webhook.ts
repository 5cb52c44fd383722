import { decideAfterAttempt, type WebhookDeliveryDecision, type WebhookRetryPolicy } from '../domain/webhook-attempt.ts';
import type { OutboundGuard } from '../outbound/outbound-guard.ts';
import { openWebhookSecret } from '../security/webhook-secret.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from '../storage/database.ts';
import { claimWebhookDelivery, recordWebhookAttempt, type ClaimedWebhookDelivery } from '../storage/webhook-delivery.repository.ts';
import { sendWebhook } from './send-webhook.ts';
import { signWebhook } from './webhook-signature.ts';

/** What sending webhooks needs. */
export interface WebhookSending {
  readonly db: Db;
  readonly cipher: TokenCipher;
  /** The outbound guard, made on first use. */
  readonly guard: () => Promise<OutboundGuard>;
  readonly timeoutMs: number;
  readonly retry: WebhookRetryPolicy;
}

/** What one job's attempt came to. */
export type WebhookJobStep =
  /** Not pending, not due, or held by another worker's claim: nothing was sent. */
  | { readonly kind: 'skipped' }
  /** Sent or given up, or to be tried again (`attempt` is the next attempt's number). */
  | { readonly kind: 'attempted'; readonly decision: WebhookDeliveryDecision; readonly nextAttempt: number; readonly recorded: boolean };

/**
 * Makes one attempt of a webhook delivery: claims it (so no other worker sends it meanwhile), signs the event with the
 * endpoint's secret (and the previous one during a rotation's overlap), posts it through the outbound guard, and
 * writes what came of it by that claim. A retry's delayed job is the caller's to add (the row says one is coming).
 */
export async function deliverWebhook(sending: WebhookSending, deliveryId: string): Promise<WebhookJobStep> {
  const leaseMs = sending.timeoutMs + 30_000;
  const claim = await claimWebhookDelivery(sending.db, deliveryId, leaseMs);
  if (claim === undefined) return { kind: 'skipped' };
  const sentAt = new Date();
  const body = JSON.stringify({ type: claim.eventType, timestamp: claim.eventCreatedAt.toISOString(), data: claim.payload });
  let secrets: string[];
  try {
    secrets = signingSecrets(sending.cipher, claim, sentAt);
  } catch {
    // Sealed with a key no longer configured: it would fail the same way every time, so it fails now, visibly.
    const decision = { state: 'failed' } as const;
    const error = 'the signing secret cannot be opened (sealed with a retired key): rotate the secret';
    const recorded = await recordWebhookAttempt(sending.db, claim, decision, { status: null, error, excerpt: null }, false);
    return { kind: 'attempted', decision, nextAttempt: claim.attempt + 1, recorded };
  }
  const headers = signWebhook(secrets, `msg_${claim.eventId}`, sentAt, body);
  const result = await sendWebhook(await sending.guard(), { url: claim.url, headers, body }, sending.timeoutMs);
  const decision = decideAfterAttempt(result, claim.attempt, claim.createdAt, new Date(), sending.retry, Math.random());
  const note =
    result.kind === 'accepted' || result.kind === 'rejected'
      ? { status: result.status, error: null, excerpt: result.excerpt }
      : { status: null, error: result.reason, excerpt: null };
  const recorded = await recordWebhookAttempt(sending.db, claim, decision, note, decision.state === 'pending');
  return { kind: 'attempted', decision, nextAttempt: claim.attempt + 1, recorded };
}

/** The secrets that sign a request: the current one, and the previous one until its overlap ends. */
function signingSecrets(cipher: TokenCipher, claim: ClaimedWebhookDelivery, now: Date): string[] {
  const current = openWebhookSecret(cipher, { keyId: claim.keyId, secret: claim.secret });
  if (claim.previousKeyId === null || claim.previousSecret === null || claim.previousSecretExpiresAt === null) return [current];
  if (claim.previousSecretExpiresAt <= now) return [current];
  return [current, openWebhookSecret(cipher, { keyId: claim.previousKeyId, secret: claim.previousSecret })];
}
