import { checkWebhookDescription, checkWebhookUrlText, readWebhookEvents } from '../../domain/webhook-endpoint-rules.ts';
import type { WebhookEventType } from '../../domain/webhook-event-type.ts';
import { updateWebhookEndpoint as storeEndpointChanges, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkWebhookUrl } from '../../webhooks/webhook-url-check.ts';
import { done, invalidFields, notFound, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/** What an organiser changes of an endpoint; what is left out stays. */
export interface WebhookEndpointChanges {
  readonly url?: string | undefined;
  readonly description?: string | undefined;
  readonly events?: readonly string[] | undefined;
}

/** Changes an endpoint's address, description or events, under the rules of registration; its secret stays. */
export async function updateWebhookEndpoint(
  settings: WebhookSettings,
  organiserId: string,
  endpointId: string,
  input: WebhookEndpointChanges,
): Promise<Outcome<WebhookEndpointView>> {
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
  const updated = await storeEndpointChanges(settings.db, organiserId, endpointId, { url, description, events });
  return updated === undefined ? notFound('webhook endpoint') : done(updated);
}
