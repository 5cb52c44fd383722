import {
  checkWebhookDescription,
  checkWebhookUrlText,
  MAX_WEBHOOK_ENDPOINTS,
  readWebhookEvents,
} from '../../domain/webhook-endpoint-rules.ts';
import { generateWebhookSecret, sealWebhookSecret } from '../../security/webhook-secret.ts';
import { countWebhookEndpoints, insertWebhookEndpoint, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkWebhookUrl } from '../../webhooks/webhook-url-check.ts';
import { conflict, done, invalidFields, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/** An endpoint as an organiser asks for it. */
export interface NewWebhookEndpoint {
  readonly url: string;
  readonly description?: string | undefined;
  readonly events: readonly string[];
}

/**
 * Registers an endpoint for an organiser's events: a public https address (or a listed local origin), one or more
 * events. Answers it with its signing secret, which is shown in this answer only (stored sealed).
 */
export async function registerWebhookEndpoint(
  settings: WebhookSettings,
  organiserId: string,
  input: NewWebhookEndpoint,
): Promise<Outcome<WebhookEndpointView & { readonly secret: string }>> {
  // Every field's problem at once, so a form shows each beside its field.
  const problems: Record<string, string> = {};
  const events = readWebhookEvents(input.events);
  if ('problem' in events) problems.events = events.problem;
  const description = (input.description ?? '').trim();
  const descriptionProblem = checkWebhookDescription(description);
  if (descriptionProblem !== null) problems.description = descriptionProblem;
  const urlProblem = checkWebhookUrlText(input.url);
  const url = urlProblem === null ? await checkWebhookUrl(input.url, settings.urls) : { kind: 'refused' as const, reason: urlProblem };
  if (url.kind === 'refused') problems.url = url.reason;
  if (url.kind === 'refused' || 'problem' in events || descriptionProblem !== null) return invalidFields(problems);
  if ((await countWebhookEndpoints(settings.db, organiserId)) >= MAX_WEBHOOK_ENDPOINTS)
    return conflict(`an account has at most ${MAX_WEBHOOK_ENDPOINTS} endpoints; delete one first`);
  const secret = generateWebhookSecret();
  const endpoint = await insertWebhookEndpoint(settings.db, {
    organiserId,
    url: url.url,
    description,
    events: events.events,
    secret: sealWebhookSecret(settings.cipher, secret),
  });
  return done({ ...endpoint, secret });
}
