import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one request. */
export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs a request per the Standard Webhooks specification: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under
 * each secret (`whsec_…`), space-separated, so a receiver that knows either secret accepts it during a rotation.
 */
export function signWebhook(secrets: readonly string[], messageId: string, sentAt: Date, body: string): WebhookHeaders {
  // The header carries whole seconds; sign the same instant the header names.
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, new Date(timestamp * 1000), body));
  return { 'webhook-id': messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}
