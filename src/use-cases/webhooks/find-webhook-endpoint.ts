import type { Db } from '../../storage/database.ts';
import { findWebhookEndpoint as findStoredEndpoint, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** One of an organiser's endpoints, without its secret; not found when it is not theirs. */
export async function findWebhookEndpoint(db: Db, organiserId: string, endpointId: string): Promise<Outcome<WebhookEndpointView>> {
  const endpoint = await findStoredEndpoint(db, organiserId, endpointId);
  return endpoint === undefined ? notFound('webhook endpoint') : done(endpoint);
}
