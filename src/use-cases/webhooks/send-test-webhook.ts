import { webhookTestEventType } from '../../domain/webhook-event-type.ts';
import type { Db } from '../../storage/database.ts';
import { findWebhookEndpoint } from '../../storage/webhook-endpoint.repository.ts';
import { insertTestWebhookEvent } from '../../storage/webhook-delivery.repository.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * Queues a `webhook.test` event for one of an organisation's endpoints (owners), whatever events it asked for: it goes
 * out like any other (signed, retried, in the delivery log). Answers the delivery's id.
 */
export async function sendTestWebhook(
  db: Db,
  organiserId: string,
  organisationId: string,
  endpointId: string,
  now: Date = new Date(),
): Promise<Outcome<{ deliveryId: string }>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const endpoint = await findWebhookEndpoint(db, organisationId, endpointId);
  if (endpoint === undefined) return notFound('webhook endpoint');
  const deliveryId = await insertTestWebhookEvent(db, organisationId, endpointId, webhookTestEventType, {
    endpointId,
    message: 'A test event from Chorus: this endpoint receives and verifies webhooks.',
    sentAt: now.toISOString(),
  });
  return done({ deliveryId });
}
