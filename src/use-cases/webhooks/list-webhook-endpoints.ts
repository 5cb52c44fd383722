import type { Db } from '../../storage/database.ts';
import { listWebhookEndpoints as listStoredEndpoints, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';

/** An organiser's endpoints, oldest first, without secrets. */
export function listWebhookEndpoints(db: Db, organiserId: string): Promise<WebhookEndpointView[]> {
  return listStoredEndpoints(db, organiserId);
}
