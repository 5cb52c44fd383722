import type { Db, Organisation } from '../../storage/database.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import { listWebhookEndpoints as listStoredEndpoints, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** An organisation with its webhook endpoints. */
export interface OrganisationWebhooks {
  readonly organisation: Pick<Organisation, 'id' | 'name'>;
  readonly endpoints: readonly WebhookEndpointView[];
}

/** An organisation's endpoints, oldest first, without secrets (owners). */
export async function listWebhookEndpoints(db: Db, organiserId: string, organisationId: string): Promise<Outcome<OrganisationWebhooks>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const [organisation, endpoints] = await Promise.all([findOrganisation(db, organisationId), listStoredEndpoints(db, organisationId)]);
  if (organisation === undefined) return notFound('organisation');
  return done({ organisation: { id: organisation.id, name: organisation.name }, endpoints });
}
