import {
  auditedWebhookAddress,
  checkWebhookDescription,
  checkWebhookUrlText,
  MAX_WEBHOOK_ENDPOINTS,
  readWebhookEvents,
} from '../../domain/webhook-endpoint-rules.ts';
import { generateWebhookSecret, sealWebhookSecret } from '../../security/webhook-secret.ts';
import { lockOrganisation } from '../../storage/organisation.repository.ts';
import { countWebhookEndpoints, insertWebhookEndpoint, type WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import { checkWebhookUrl } from '../../webhooks/webhook-url-check.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { conflict, done, invalidFields, notFound, type Outcome } from '../use-case-outcome.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/** An endpoint as an owner asks for it. */
export interface NewWebhookEndpoint {
  readonly url: string;
  readonly description?: string | undefined;
  readonly events: readonly string[];
}

/**
 * Registers an endpoint for an organisation's events (owners): a public https address (or a listed local origin), one
 * or more events. Answers it with its signing secret, which is shown in this answer only (stored sealed).
 */
export async function registerWebhookEndpoint(
  settings: WebhookSettings,
  actor: OrganiserActor,
  organisationId: string,
  input: NewWebhookEndpoint,
): Promise<Outcome<WebhookEndpointView & { readonly secret: string }>> {
  const access = await checkOrganisationAccess(settings.db, actor.organiserId, organisationId, 'manage-webhooks');
  if (access.kind !== 'done') return access;
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
  const secret = generateWebhookSecret();
  return settings.db.transaction().execute(async (trx) => {
    // Registrations of one organisation take turns, so two owners at once cannot pass the limit together.
    if (!(await lockOrganisation(trx, organisationId))) return notFound('organisation');
    if ((await countWebhookEndpoints(trx, organisationId)) >= MAX_WEBHOOK_ENDPOINTS)
      return conflict(`an organisation has at most ${MAX_WEBHOOK_ENDPOINTS} endpoints; delete one first`);
    const endpoint = await insertWebhookEndpoint(trx, {
      organisationId,
      createdBy: actor.organiserId,
      url: url.url,
      description,
      events: events.events,
      secret: sealWebhookSecret(settings.cipher, secret),
    });
    await recordAudit(trx, actor, {
      action: 'webhook.registered',
      organisationId,
      subjectId: endpoint.id,
      changes: { origin: auditedWebhookAddress(endpoint.url), events: endpoint.events },
    });
    return done({ ...endpoint, secret });
  });
}
