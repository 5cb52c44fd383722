import { generateWebhookSecret, sealWebhookSecret } from '../../security/webhook-secret.ts';
import { rotateWebhookEndpointSecret, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/**
 * Gives an endpoint a new signing secret, shown in this answer only. Requests are signed with both the new and the
 * old secret for WEBHOOK_SECRET_OVERLAP_HOURS, so the receiver can switch without losing one.
 */
export async function rotateWebhookSecret(
  settings: WebhookSettings,
  organiserId: string,
  endpointId: string,
  now: Date = new Date(),
): Promise<Outcome<WebhookEndpointView & { readonly secret: string }>> {
  const secret = generateWebhookSecret();
  const rotated = await rotateWebhookEndpointSecret(
    settings.db,
    organiserId,
    endpointId,
    sealWebhookSecret(settings.cipher, secret),
    new Date(now.getTime() + settings.secretOverlapMs),
  );
  return rotated === undefined ? notFound('webhook endpoint') : done({ ...rotated, secret });
}
