import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { MAX_WEBHOOK_DESCRIPTION, MAX_WEBHOOK_URL } from '../../../domain/webhook-endpoint-rules.ts';
import { webhookEventMeanings, webhookEventTypes, webhookTestEventType } from '../../../domain/webhook-event-type.ts';
import { webhookDeliveryStates } from '../../../domain/webhook-attempt.ts';
import { currentActor, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import type { WebhookEndpointView } from '../../../storage/webhook-endpoint.repository.ts';
import type { WebhookDeliveryLogLine } from '../../../storage/webhook-delivery.repository.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { deleteWebhookEndpoint } from '../../../use-cases/webhooks/delete-webhook-endpoint.ts';
import { findWebhookEndpoint } from '../../../use-cases/webhooks/find-webhook-endpoint.ts';
import { listWebhookDeliveries, MAX_DELIVERY_LOG_PAGE } from '../../../use-cases/webhooks/list-webhook-deliveries.ts';
import { listWebhookEndpoints } from '../../../use-cases/webhooks/list-webhook-endpoints.ts';
import { registerWebhookEndpoint } from '../../../use-cases/webhooks/register-webhook-endpoint.ts';
import { rotateWebhookSecret } from '../../../use-cases/webhooks/rotate-webhook-secret.ts';
import { sendTestWebhook } from '../../../use-cases/webhooks/send-test-webhook.ts';
import { updateWebhookEndpoint } from '../../../use-cases/webhooks/update-webhook-endpoint.ts';
import { webhookSettingsOf } from '../../../use-cases/webhooks/webhook-settings.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const EventType = Type.Enum([...webhookEventTypes], {
  description: Object.entries(webhookEventMeanings)
    .map(([type, meaning]) => `${type}: ${meaning}`)
    .join('; '),
});
const Events = Type.Array(EventType, { minItems: 1, maxItems: webhookEventTypes.length * 2, description: 'the events to send it' });
const Url = StorableText({
  minLength: 1,
  maxLength: MAX_WEBHOOK_URL,
  description: 'where to POST the events: https on a public server (or an origin listed in WEBHOOK_LOCAL_ORIGINS)',
});
const Description = StorableText({ maxLength: MAX_WEBHOOK_DESCRIPTION, description: 'a note for the organiser' });
const dateTime = Type.String({ format: 'date-time' });
const nullableDateTime = Type.Union([dateTime, Type.Null()]);

const EndpointView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  organisation_id: Type.String({ format: 'uuid', description: 'the organisation it belongs to: it gets the events of its campaigns' }),
  created_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'the organiser who registered it; null once they are gone',
  }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(EventType),
  created_at: dateTime,
  updated_at: dateTime,
  previous_secret_expires_at: Type.Union([dateTime, Type.Null()], {
    description: 'after a rotation: until when requests are signed with the previous secret too',
  }),
});
const EndpointWithSecret = Type.Object({
  ...EndpointView.properties,
  secret: Type.String({ description: 'the signing secret (whsec_…), shown in this answer only' }),
});
const DeliveryView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid', description: 'the webhook-id header is msg_ and this' }),
  eventType: Type.Enum([...webhookEventTypes, webhookTestEventType]),
  state: Type.Enum([...webhookDeliveryStates]),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: "the last attempt's HTTP status; null: no answer" }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'why the last attempt got no answer' }),
  responseExcerpt: Type.Union([Type.String(), Type.Null()], { description: "the start of the last answer's body (500 characters)" }),
  createdAt: dateTime,
  lastAttemptAt: nullableDateTime,
  nextAttemptAt: Type.Union([dateTime, Type.Null()], { description: 'while pending: when it is tried next' }),
  finishedAt: nullableDateTime,
});
const OrganisationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EndpointParams = Type.Object({ id: Type.String({ format: 'uuid' }), endpointId: Type.String({ format: 'uuid' }) });
const tags = ['webhooks'];
const endpointsPath = '/organisations/:id/webhook-endpoints';
const endpointPath = `${endpointsPath}/:endpointId`;

/**
 * An organisation's webhook endpoints, for its owners (session or API token): registered, changed, deleted, their
 * secret rotated, a test event sent, and their delivery log read. Editors and viewers get 403, strangers to the
 * organisation 404 (src/use-cases/webhooks/). Secrets appear only in the answers that make them.
 */
const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const settings = webhookSettingsOf(ctx.db, ctx.cipher, ctx.config);
  app.addHook('preHandler', app.requireOrganiser);
  // After the file's requireOrganiser hook: route hooks run after the plugin's.
  const changes = app.rateLimited('webhook-changes-per-organiser');
  const reads = app.rateLimited('webhook-reads-per-organiser');

  app.post(
    endpointsPath,
    {
      config: { answerCarriesSecret: true },
      preHandler: changes,
      schema: {
        tags,
        summary: "Register a webhook endpoint for the organisation's events (owners; its signing secret is shown only in this answer)",
        params: OrganisationParams,
        body: Type.Object({ url: Url, description: Type.Optional(Description), events: Events }, { additionalProperties: false }),
        response: { 201: EndpointWithSecret },
      },
    },
    async (request, reply) => {
      const created = valueOrHttpError(await registerWebhookEndpoint(settings, currentActor(request), request.params.id, request.body));
      return reply.code(201).send({ ...endpointView(created), secret: created.secret });
    },
  );

  app.get(
    endpointsPath,
    {
      preHandler: reads,
      schema: {
        tags,
        summary: "List the organisation's webhook endpoints (owners)",
        params: OrganisationParams,
        response: { 200: Type.Array(EndpointView) },
      },
    },
    async (request) =>
      valueOrHttpError(await listWebhookEndpoints(ctx.db, currentOrganiser(request).id, request.params.id)).endpoints.map(endpointView),
  );

  app.get(
    endpointPath,
    {
      preHandler: reads,
      schema: { tags, summary: 'Read a webhook endpoint (owners)', params: EndpointParams, response: { 200: EndpointView } },
    },
    async (request) =>
      endpointView(
        valueOrHttpError(await findWebhookEndpoint(ctx.db, currentOrganiser(request).id, request.params.id, request.params.endpointId)),
      ),
  );

  app.patch(
    endpointPath,
    {
      preHandler: changes,
      schema: {
        tags,
        summary: "Change a webhook endpoint's address, description or events (owners; its secret stays)",
        params: EndpointParams,
        body: Type.Object(
          { url: Type.Optional(Url), description: Type.Optional(Description), events: Type.Optional(Events) },
          { additionalProperties: false },
        ),
        response: { 200: EndpointView },
      },
    },
    async (request) =>
      endpointView(
        valueOrHttpError(
          await updateWebhookEndpoint(settings, currentActor(request), request.params.id, request.params.endpointId, request.body),
        ),
      ),
  );

  app.delete(
    endpointPath,
    { preHandler: changes, schema: { tags, summary: 'Delete a webhook endpoint and its delivery log (owners)', params: EndpointParams } },
    async (request, reply) => {
      valueOrHttpError(await deleteWebhookEndpoint(ctx.db, currentActor(request), request.params.id, request.params.endpointId));
      return reply.code(204).send();
    },
  );

  app.post(
    `${endpointPath}/rotate-secret`,
    {
      config: { answerCarriesSecret: true },
      preHandler: changes,
      schema: {
        tags,
        summary: 'Give a webhook endpoint a new secret (owners); the old one keeps signing beside it for WEBHOOK_SECRET_OVERLAP_HOURS',
        params: EndpointParams,
        response: { 200: EndpointWithSecret },
      },
    },
    async (request) => {
      const rotated = valueOrHttpError(
        await rotateWebhookSecret(settings, currentActor(request), request.params.id, request.params.endpointId),
      );
      return { ...endpointView(rotated), secret: rotated.secret };
    },
  );

  app.post(
    `${endpointPath}/test`,
    {
      preHandler: app.rateLimited('webhook-tests-per-organiser'),
      schema: {
        tags,
        summary: 'Send a webhook.test event to this endpoint (owners; it appears in the delivery log)',
        params: EndpointParams,
        response: { 202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(valueOrHttpError(await sendTestWebhook(ctx.db, currentOrganiser(request).id, request.params.id, request.params.endpointId))),
  );

  app.get(
    `${endpointPath}/deliveries`,
    {
      preHandler: reads,
      schema: {
        tags,
        summary: "A webhook endpoint's delivery log, newest first (owners)",
        params: EndpointParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: MAX_DELIVERY_LOG_PAGE, default: 50 }),
            before: Type.Optional(Type.String({ format: 'uuid', description: 'the last delivery of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DeliveryView) },
      },
    },
    async (request) => {
      const log = valueOrHttpError(
        await listWebhookDeliveries(ctx.db, currentOrganiser(request).id, request.params.id, request.params.endpointId, request.query),
      );
      return log.deliveries.map(deliveryView);
    },
  );
};

function endpointView(endpoint: WebhookEndpointView) {
  return {
    id: endpoint.id,
    organisation_id: endpoint.organisation_id,
    created_by: endpoint.created_by,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    created_at: endpoint.created_at.toISOString(),
    updated_at: endpoint.updated_at.toISOString(),
    previous_secret_expires_at: endpoint.previous_secret_expires_at?.toISOString() ?? null,
  };
}

function deliveryView(line: WebhookDeliveryLogLine) {
  return {
    ...line,
    createdAt: line.createdAt.toISOString(),
    lastAttemptAt: line.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: line.nextAttemptAt?.toISOString() ?? null,
    finishedAt: line.finishedAt?.toISOString() ?? null,
  };
}

export default webhookRoutes;
