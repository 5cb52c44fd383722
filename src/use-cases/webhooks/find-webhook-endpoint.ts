import type { Db } from '../../storage/database.ts';
import { findWebhookEndpoint as findStoredEndpoint, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** One of an organisation's endpoints, without its secret (owners); not found when it is not the organisation's. */
export async function findWebhookEndpoint(
  db: Db,
  organiserId: string,
  organisationId: string,
  endpointId: string,
): Promise<Outcome<WebhookEndpointView>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const endpoint = await findStoredEndpoint(db, organisationId, endpointId);
  return endpoint === undefined ? notFound('webhook endpoint') : done(endpoint);
}
