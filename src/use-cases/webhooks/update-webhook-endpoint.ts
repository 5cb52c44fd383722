import {
  auditedWebhookAddress,
  checkWebhookDescription,
  checkWebhookUrlText,
  readWebhookEvents,
} from '../../domain/webhook-endpoint-rules.ts';
import type { WebhookEventType } from '../../domain/webhook-event-type.ts';
import { updateWebhookEndpoint as storeEndpointChanges, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkWebhookUrl } from '../../webhooks/webhook-url-check.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { done, invalidFields, notFound, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/** What an owner changes of an endpoint; what is left out stays. */
export interface WebhookEndpointChanges {
  readonly url?: string | undefined;
  readonly description?: string | undefined;
  readonly events?: readonly string[] | undefined;
}

/**
 * Changes an organisation's endpoint's address, description or events (owners), under the rules of registration; its
 * secret stays.
 */
export async function updateWebhookEndpoint(
  settings: WebhookSettings,
  actor: OrganiserActor,
  organisationId: string,
  endpointId: string,
  input: WebhookEndpointChanges,
): Promise<Outcome<WebhookEndpointView>> {
  const access = await checkOrganisationAccess(settings.db, actor.organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
  // Every field's problem at once, so a form shows each beside its field.
  const problems: Record<string, string> = {};
  let events: WebhookEventType[] | undefined;
  if (input.events !== undefined) {
    const read = readWebhookEvents(input.events);
    if ('problem' in read) problems.events = read.problem;
    else events = read.events;
  }
  const description = input.description?.trim();
  const descriptionProblem = description === undefined ? null : checkWebhookDescription(description);
  if (descriptionProblem !== null) problems.description = descriptionProblem;
  let url: string | undefined;
  if (input.url !== undefined) {
    const urlProblem = checkWebhookUrlText(input.url);
    const checked =
      urlProblem === null ? await checkWebhookUrl(input.url, settings.urls) : { kind: 'refused' as const, reason: urlProblem };
    if (checked.kind === 'refused') problems.url = checked.reason;
    else url = checked.url;
  }
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const updated = await settings.db.transaction().execute(async (trx) => {
    const endpoint = await storeEndpointChanges(trx, organisationId, endpointId, { url, description, events });
    // The names of the fields sent, with the new origin and events; never the path, which may be a credential.
    if (endpoint !== undefined)
      await recordAudit(trx, actor, {
        action: 'webhook.changed',
        organisationId,
        subjectId: endpointId,
        changes: {
          fields: Object.entries({ url, description, events })
            .filter(([, value]) => value !== undefined)
            .map(([field]) => field),
          ...(url === undefined ? {} : { origin: auditedWebhookAddress(url) }),
          ...(events === undefined ? {} : { events }),
        },
      });
    return endpoint;
  });
  return updated === undefined ? notFound('webhook endpoint') : done(updated);
}
