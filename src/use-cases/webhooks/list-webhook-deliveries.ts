import type { Db } from '../../storage/database.ts';
import { findWebhookEndpoint, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import {
  findWebhookDeliveryPosition,
  listWebhookDeliveries as listStoredDeliveries,
  type WebhookDeliveryLogLine,
} from '../../storage/webhook-delivery.repository.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

/** The most lines of the delivery log one page shows. */
export const MAX_DELIVERY_LOG_PAGE = 100;

/** An endpoint with a page of its delivery log, newest first. */
export interface WebhookDeliveryLog {
  readonly endpoint: WebhookEndpointView;
  readonly deliveries: readonly WebhookDeliveryLogLine[];
}

/**
 * A page of an endpoint's delivery log: `limit` lines (1 to 100), older than the delivery `before` names when given.
 * Owners only; not found when the endpoint (or that delivery) is not the organisation's.
 */
export async function listWebhookDeliveries(
  db: Db,
  organiserId: string,
  organisationId: string,
  endpointId: string,
  page: { limit?: number | undefined; before?: string | undefined } = {},
): Promise<Outcome<WebhookDeliveryLog>> {
  const limit = page.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERY_LOG_PAGE)
    return invalid(`limit must be a whole number from 1 to ${MAX_DELIVERY_LOG_PAGE}`, 'limit');
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const endpoint = await findWebhookEndpoint(db, organisationId, endpointId);
  if (endpoint === undefined) return notFound('webhook endpoint');
  let position: { createdAt: Date; id: string } | undefined;
  if (page.before !== undefined) {
    position = await findWebhookDeliveryPosition(db, endpointId, page.before);
    if (position === undefined) return notFound('webhook delivery');
  }
  return done({ endpoint, deliveries: await listStoredDeliveries(db, endpointId, limit, position) });
}
