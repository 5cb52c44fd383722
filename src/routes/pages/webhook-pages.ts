import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { webhookEventMeanings, webhookEventTypes } from '../../domain/webhook-event-type.ts';
import { currentActor, currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import type { WebhookEndpointView } from '../../storage/webhook-endpoint.repository.ts';
import type { WebhookDeliveryLogLine } from '../../storage/webhook-delivery.repository.ts';
import { deleteWebhookEndpoint } from '../../use-cases/webhooks/delete-webhook-endpoint.ts';
import { listWebhookDeliveries } from '../../use-cases/webhooks/list-webhook-deliveries.ts';
import { listWebhookEndpoints } from '../../use-cases/webhooks/list-webhook-endpoints.ts';
import { registerWebhookEndpoint } from '../../use-cases/webhooks/register-webhook-endpoint.ts';
import { rotateWebhookSecret } from '../../use-cases/webhooks/rotate-webhook-secret.ts';
import { sendTestWebhook } from '../../use-cases/webhooks/send-test-webhook.ts';
import { updateWebhookEndpoint } from '../../use-cases/webhooks/update-webhook-endpoint.ts';
import { webhookSettingsOf } from '../../use-cases/webhooks/webhook-settings.ts';
import { fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const EndpointForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  url: Type.Optional(Type.String({ maxLength: 4000 })),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  // One checkbox ticked arrives as a string, several as an array.
  events: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })])),
});
const OrganisationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EndpointParams = Type.Object({ id: Type.String({ format: 'uuid' }), endpointId: Type.String({ format: 'uuid' }) });

/** What the endpoint form holds as typed. */
interface EndpointFormValues {
  readonly url: string;
  readonly description: string;
  readonly events: readonly string[];
}

interface PageState {
  readonly notice?: string;
  readonly newSecret?: string;
  readonly errors?: Record<string, string>;
  readonly values?: EndpointFormValues;
}

const eventChoices = webhookEventTypes.map((type) => ({ type, meaning: webhookEventMeanings[type] }));

/**
 * An organisation's webhooks, for its owners, linked from the organisation's page: the endpoints with a form to add one
 * (its secret shown once), and each endpoint's page with its delivery log (status, attempts, last answer), its
 * settings, "send a test event", "rotate the secret" and "delete". Editors and viewers get 403, strangers 404.
 */
const webhookPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const settings = webhookSettingsOf(ctx.db, ctx.cipher, ctx.config);
  app.addHook('preHandler', requireOrganiserPage(app));
  const reads = app.rateLimited('webhook-reads-per-organiser');
  const changes = app.rateLimited('webhook-changes-per-organiser');

  async function showList(request: FastifyRequest, reply: FastifyReply, organisationId: string, state: PageState = {}) {
    const { organisation, endpoints } = valueOrHttpError(await listWebhookEndpoints(ctx.db, currentOrganiser(request).id, organisationId));
    return reply.view('organiser/webhooks', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Webhooks: ${organisation.name}`,
      organisation,
      endpoints: endpoints.map(endpointLocals),
      eventChoices,
      values: state.values ?? { url: '', description: '', events: [] },
      errors: state.errors ?? {},
      notice: state.notice,
      newSecret: state.newSecret,
    });
  }

  async function showEndpoint(
    request: FastifyRequest,
    reply: FastifyReply,
    { id: organisationId, endpointId }: { id: string; endpointId: string },
    state: PageState = {},
  ) {
    const log = valueOrHttpError(
      await listWebhookDeliveries(ctx.db, currentOrganiser(request).id, organisationId, endpointId, { limit: 50 }),
    );
    const endpoint = endpointLocals(log.endpoint);
    return reply.view('organiser/webhook-endpoint', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Webhook: ${log.endpoint.url}`,
      organisationId,
      endpoint,
      deliveries: log.deliveries.map(deliveryLocals),
      retentionDays: ctx.config.WEBHOOK_LOG_RETENTION_DAYS,
      overlapHours: ctx.config.WEBHOOK_SECRET_OVERLAP_HOURS,
      eventChoices,
      values: state.values ?? { url: log.endpoint.url, description: log.endpoint.description, events: log.endpoint.events },
      errors: state.errors ?? {},
      notice: state.notice,
      newSecret: state.newSecret,
    });
  }

  app.get(
    '/organiser/organisations/:id/webhooks',
    { schema: { hide: true, params: OrganisationParams }, preHandler: reads },
    (request, reply) => showList(request, reply, request.params.id),
  );

  app.post(
    '/organiser/organisations/:id/webhooks',
    { schema: { hide: true, params: OrganisationParams, body: EndpointForm }, preValidation: csrf, preHandler: changes },
    async (request, reply) => {
      const values = formValues(request.body);
      const created = await registerWebhookEndpoint(settings, currentActor(request), request.params.id, values);
      switch (created.kind) {
        case 'done':
          return showList(request, reply.code(201), request.params.id, {
            notice: `The endpoint ${created.value.url} is registered.`,
            newSecret: created.value.secret,
          });
        case 'invalid':
        case 'conflict':
          return showList(request, reply.code(problemStatus[created.kind]), request.params.id, {
            errors: fieldMessagesOf(created),
            values,
          });
        case 'not-found':
        case 'forbidden':
        case 'unauthenticated':
        case 'unpostable':
          return valueOrHttpError(created);
      }
    },
  );

  app.get(
    '/organiser/organisations/:id/webhooks/:endpointId',
    { schema: { hide: true, params: EndpointParams }, preHandler: reads },
    (request, reply) => showEndpoint(request, reply, request.params),
  );

  app.post(
    '/organiser/organisations/:id/webhooks/:endpointId',
    { schema: { hide: true, params: EndpointParams, body: EndpointForm }, preValidation: csrf, preHandler: changes },
    async (request, reply) => {
      const values = formValues(request.body);
      const updated = await updateWebhookEndpoint(settings, currentActor(request), request.params.id, request.params.endpointId, values);
      switch (updated.kind) {
        case 'done':
          return showEndpoint(request, reply, request.params, { notice: 'The endpoint is saved.' });
        case 'invalid':
          return showEndpoint(request, reply.code(400), request.params, { errors: fieldMessagesOf(updated), values });
        case 'not-found':
        case 'conflict':
        case 'forbidden':
        case 'unauthenticated':
        case 'unpostable':
          return valueOrHttpError(updated);
      }
    },
  );

  app.post(
    '/organiser/organisations/:id/webhooks/:endpointId/rotate',
    { schema: { hide: true, params: EndpointParams, body: CsrfOnly }, preValidation: csrf, preHandler: changes },
    async (request, reply) => {
      const rotated = valueOrHttpError(
        await rotateWebhookSecret(settings, currentActor(request), request.params.id, request.params.endpointId),
      );
      return showEndpoint(request, reply, request.params, {
        notice: `A new secret signs every request. The old one signs them too until ${when(rotated.previous_secret_expires_at ?? new Date())}.`,
        newSecret: rotated.secret,
      });
    },
  );

  app.post(
    '/organiser/organisations/:id/webhooks/:endpointId/test',
    {
      schema: { hide: true, params: EndpointParams, body: CsrfOnly },
      preValidation: csrf,
      preHandler: app.rateLimited('webhook-tests-per-organiser'),
    },
    async (request, reply) => {
      valueOrHttpError(await sendTestWebhook(ctx.db, currentOrganiser(request).id, request.params.id, request.params.endpointId));
      return showEndpoint(request, reply.code(202), request.params, {
        notice: 'A test event is on its way: reload this page to see how it went.',
      });
    },
  );

  app.post(
    '/organiser/organisations/:id/webhooks/:endpointId/delete',
    { schema: { hide: true, params: EndpointParams, body: CsrfOnly }, preValidation: csrf, preHandler: changes },
    async (request, reply) => {
      valueOrHttpError(await deleteWebhookEndpoint(ctx.db, currentActor(request), request.params.id, request.params.endpointId));
      return showList(request, reply, request.params.id, { notice: 'The endpoint is deleted: nothing more is sent to it.' });
    },
  );
};

function formValues(body: {
  url?: string | undefined;
  description?: string | undefined;
  events?: string | string[] | undefined;
}): EndpointFormValues {
  const events = body.events === undefined ? [] : Array.isArray(body.events) ? body.events : [body.events];
  return { url: (body.url ?? '').trim(), description: body.description ?? '', events };
}

function endpointLocals(endpoint: WebhookEndpointView) {
  const overlapEnds = endpoint.previous_secret_expires_at;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    created: when(endpoint.created_at),
    previousSecretUntil: overlapEnds !== null && overlapEnds > new Date() ? when(overlapEnds) : null,
  };
}

function deliveryLocals(line: WebhookDeliveryLogLine) {
  return {
    id: line.id,
    eventType: line.eventType,
    state: line.state,
    attempts: line.attempts,
    answer: line.lastStatus === null ? (line.lastError ?? 'Not tried yet') : `HTTP ${line.lastStatus}`,
    excerpt: line.responseExcerpt ?? '',
    created: when(line.createdAt),
    lastAttempt: line.lastAttemptAt === null ? '' : when(line.lastAttemptAt),
    nextAttempt: line.nextAttemptAt === null ? '' : when(line.nextAttemptAt),
  };
}

function when(at: Date): string {
  return formatLaunchTime(at, 'UTC');
}

export default webhookPages;
