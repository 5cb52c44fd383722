import { checkStorableText } from './storable-text.ts';
import { isWebhookEventType, type WebhookEventType } from './webhook-event-type.ts';

/** How many endpoints one organisation may register. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** The longest description of an endpoint. */
export const MAX_WEBHOOK_DESCRIPTION = 200;

/** The longest endpoint address. */
export const MAX_WEBHOOK_URL = 2000;

/** The events asked for, each once in the order given, or the problem with them. */
export function readWebhookEvents(events: readonly string[]): { events: WebhookEventType[] } | { problem: string } {
  if (events.length === 0) return { problem: 'pick at least one event' };
  const unknown = events.find((event) => !isWebhookEventType(event));
  if (unknown !== undefined) return { problem: `${unknown.slice(0, 40)} is not an event Chorus sends` };
  return { events: [...new Set(events as readonly WebhookEventType[])] };
}

/** The problem with an endpoint's description, or null when it may be stored. */
export function checkWebhookDescription(description: string): string | null {
  if (description.length > MAX_WEBHOOK_DESCRIPTION) return `keep the description to ${MAX_WEBHOOK_DESCRIPTION} characters`;
  return checkStorableText('the description', description);
}

/** The problem with an endpoint's address as typed, before it is read as a URL, or null. */
export function checkWebhookUrlText(url: string): string | null {
  if (url.length > MAX_WEBHOOK_URL) return `keep the address to ${MAX_WEBHOOK_URL} characters`;
  // WHATWG URL would quietly drop or encode these; refuse them as every stored text's rule does.
  return checkStorableText('the address', url);
}

/**
 * What the audit log keeps of an endpoint's address: its origin only. The path is often a credential (a chat's
 * incoming-hook URL carries its token there), and the log is read by every owner and exported.
 */
export function auditedWebhookAddress(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '';
}
