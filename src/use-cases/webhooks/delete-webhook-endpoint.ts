import { auditedWebhookAddress } from '../../domain/webhook-endpoint-rules.ts';
import { deleteWebhookEndpoint as deleteStoredEndpoint } from '../../storage/webhook-endpoint.repository.ts';
import type { Db } from '../../storage/database.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** Deletes one of an organisation's endpoints with its delivery log (owners); nothing more is sent to it. */
export async function deleteWebhookEndpoint(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  endpointId: string,
): Promise<Outcome<null>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const deleted = await db.transaction().execute(async (trx) => {
    const endpoint = await deleteStoredEndpoint(trx, organisationId, endpointId);
    if (endpoint !== undefined)
      await recordAudit(trx, actor, {
        action: 'webhook.deleted',
        organisationId,
        subjectId: endpointId,
        changes: { origin: auditedWebhookAddress(endpoint.url) },
      });
    return endpoint;
  });
  return deleted === undefined ? notFound('webhook endpoint') : done(null);
}
