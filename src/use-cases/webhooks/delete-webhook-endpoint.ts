import type { Db } from '../../storage/database.ts';
import { deleteWebhookEndpoint as deleteStoredEndpoint } from '../../storage/webhook-endpoint.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** Deletes one of an organiser's endpoints with its delivery log; nothing more is sent to it. */
export async function deleteWebhookEndpoint(db: Db, organiserId: string, endpointId: string): Promise<Outcome<null>> {
  return (await deleteStoredEndpoint(db, organiserId, endpointId)) ? done(null) : notFound('webhook endpoint');
}
