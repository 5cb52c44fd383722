import type { WebhookEventType } from '../domain/webhook-event-type.ts';
import type { Db, WebhookEndpoint } from './database.ts';

/** What the API and pages show of an endpoint: never a secret. */
export type WebhookEndpointView = Pick<
  WebhookEndpoint,
  'id' | 'organisation_id' | 'created_by' | 'url' | 'description' | 'events' | 'created_at' | 'updated_at' | 'previous_secret_expires_at'
>;

/** A signing secret as stored: sealed with the token key `keyId` names. */
export interface SealedWebhookSecret {
  readonly keyId: string;
  readonly secret: Buffer;
}

const viewColumns = [
  'id',
  'organisation_id',
  'created_by',
  'url',
  'description',
  'events',
  'created_at',
  'updated_at',
  'previous_secret_expires_at',
] as const;

/** Stores a new endpoint of an organisation, registered by `createdBy`. */
export function insertWebhookEndpoint(
  db: Db,
  values: {
    organisationId: string;
    createdBy: string;
    url: string;
    description: string;
    events: readonly WebhookEventType[];
    secret: SealedWebhookSecret;
  },
): Promise<WebhookEndpointView> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      organisation_id: values.organisationId,
      created_by: values.createdBy,
      url: values.url,
      description: values.description,
      events: [...values.events],
      key_id: values.secret.keyId,
      secret: values.secret.secret,
    })
    .returning(viewColumns)
    .executeTakeFirstOrThrow();
}

/** An organisation's endpoints, oldest first. */
export function listWebhookEndpoints(db: Db, organisationId: string): Promise<WebhookEndpointView[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(viewColumns)
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many endpoints an organisation has. */
export async function countWebhookEndpoints(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One of an organisation's endpoints; undefined when it is not theirs or does not exist. */
export function findWebhookEndpoint(db: Db, organisationId: string, endpointId: string): Promise<WebhookEndpointView | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .select(viewColumns)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
}

/** Changes an endpoint's address, description or events; undefined when it is not the organisation's. */
export function updateWebhookEndpoint(
  db: Db,
  organisationId: string,
  endpointId: string,
  changes: { url?: string; description?: string; events?: readonly WebhookEventType[] },
): Promise<WebhookEndpointView | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(changes.url === undefined ? {} : { url: changes.url }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.events === undefined ? {} : { events: [...changes.events] }),
      updated_at: new Date(),
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', endpointId)
    .returning(viewColumns)
    .executeTakeFirst();
}

/** Deletes an endpoint and its delivery log; answers what it was, undefined when it is not the organisation's. */
export function deleteWebhookEndpoint(db: Db, organisationId: string, endpointId: string): Promise<WebhookEndpointView | undefined> {
  return db
    .deleteFrom('webhook_endpoints')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', endpointId)
    .returning(viewColumns)
    .executeTakeFirst();
}

/**
 * Replaces an endpoint's secret; the one it replaces keeps signing until `previousUntil`. A rotation during an
 * overlap drops the oldest secret: two sign at most. Undefined when the endpoint is not the organisation's.
 */
export function rotateWebhookEndpointSecret(
  db: Db,
  organisationId: string,
  endpointId: string,
  secret: SealedWebhookSecret,
  previousUntil: Date,
): Promise<WebhookEndpointView | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      previous_key_id: eb.ref('key_id'),
      previous_secret: eb.ref('secret'),
      previous_secret_expires_at: previousUntil,
      key_id: secret.keyId,
      secret: secret.secret,
      updated_at: new Date(),
    }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', endpointId)
    .returning(viewColumns)
    .executeTakeFirst();
}

/** Endpoints with a secret (current or previous) sealed with another key than `keyId`, for `npm run rotate-keys`. */
export function listWebhookSecretsSealedWithout(db: Db, keyId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'key_id', 'secret', 'previous_key_id', 'previous_secret'])
    .where((eb) => eb.or([eb('key_id', '<>', keyId), eb('previous_key_id', '<>', keyId)]))
    .execute();
}

/**
 * Writes an endpoint's secrets re-sealed with another key, if they are still the ones read (`was`): a rotation in
 * between wins, its secret sealed with the current key already. False when it changed meanwhile.
 */
export async function resealWebhookSecrets(
  db: Db,
  endpointId: string,
  was: { current: SealedWebhookSecret; previous: SealedWebhookSecret | null },
  now: { current: SealedWebhookSecret; previous: SealedWebhookSecret | null },
): Promise<boolean> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      key_id: now.current.keyId,
      secret: now.current.secret,
      ...(now.previous === null ? {} : { previous_key_id: now.previous.keyId, previous_secret: now.previous.secret }),
    })
    .where('id', '=', endpointId)
    .where('key_id', '=', was.current.keyId)
    .where('secret', '=', was.current.secret)
    .where((eb) =>
      was.previous === null
        ? eb('previous_secret', 'is', null)
        : eb.and([eb('previous_key_id', '=', was.previous.keyId), eb('previous_secret', '=', was.previous.secret)]),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
