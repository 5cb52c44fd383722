import { checkWebhookDescription, MAX_WEBHOOK_URL, readWebhookEvents } from '../../domain/webhook-endpoint-rules.ts';
import type { WebhookEventType } from '../../domain/webhook-event-type.ts';
import { updateWebhookEndpoint as storeEndpointChanges, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkWebhookUrl } from '../../webhooks/webhook-url-check.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';
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
  let events: WebhookEventType[] | undefined;
  if (input.events !== undefined) {
    const read = readWebhookEvents(input.events);
    if ('problem' in read) return invalid(read.problem, 'events');
    events = read.events;
  }
  const description = input.description?.trim();
  if (description !== undefined) {
    const problem = checkWebhookDescription(description);
    if (problem !== null) return invalid(problem, 'description');
  }
  let url: string | undefined;
  if (input.url !== undefined) {
    if (input.url.length > MAX_WEBHOOK_URL) return invalid(`keep the address to ${MAX_WEBHOOK_URL} characters`, 'url');
    const checked = await checkWebhookUrl(input.url, settings.urls);
    if (checked.kind === 'refused') return invalid(checked.reason, 'url');
    url = checked.url;
  }
  const updated = await storeEndpointChanges(settings.db, organiserId, endpointId, { url, description, events });
  return updated === undefined ? notFound('webhook endpoint') : done(updated);
}
