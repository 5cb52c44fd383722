import { generateWebhookSecret, sealWebhookSecret } from '../../security/webhook-secret.ts';
import { rotateWebhookEndpointSecret, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/**
 * Gives one of an organisation's endpoints a new signing secret (owners), shown in this answer only. Requests are
 * signed with both the new and the old secret for WEBHOOK_SECRET_OVERLAP_HOURS, so the receiver can switch without
 * losing one.
 */
export async function rotateWebhookSecret(
  settings: WebhookSettings,
  actor: OrganiserActor,
  organisationId: string,
  endpointId: string,
  now: Date = new Date(),
): Promise<Outcome<WebhookEndpointView & { readonly secret: string }>> {
  const access = await checkOrganisationAccess(settings.db, actor.organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  const secret = generateWebhookSecret();
  const previousUntil = new Date(now.getTime() + settings.secretOverlapMs);
  const rotated = await settings.db.transaction().execute(async (trx) => {
    const endpoint = await rotateWebhookEndpointSecret(
      trx,
      organisationId,
      endpointId,
      sealWebhookSecret(settings.cipher, secret),
      previousUntil,
    );
    // Never the secret: when the old one stops signing is what an owner looking back needs.
    if (endpoint !== undefined)
      await recordAudit(trx, actor, {
        action: 'webhook.secret-rotated',
        organisationId,
        subjectId: endpointId,
        changes: { previousSecretUntil: previousUntil.toISOString() },
      });
    return endpoint;
  });
  return rotated === undefined ? notFound('webhook endpoint') : done({ ...rotated, secret });
}
