import type { WebhookEventType } from '../domain/webhook-event-type.ts';
import type { Db, WebhookEndpoint } from './database.ts';

/** What the API and pages show of an endpoint: never a secret. */
export type WebhookEndpointView = Pick<
  WebhookEndpoint,
  'id' | 'url' | 'description' | 'events' | 'created_at' | 'updated_at' | 'previous_secret_expires_at'
>;

/** A signing secret as stored: sealed with the token key `keyId` names. */
export interface SealedWebhookSecret {
  readonly keyId: string;
  readonly secret: Buffer;
}

const viewColumns = ['id', 'url', 'description', 'events', 'created_at', 'updated_at', 'previous_secret_expires_at'] as const;

/** Stores a new endpoint for an organiser. */
export function insertWebhookEndpoint(
  db: Db,
  values: { organiserId: string; url: string; description: string; events: readonly WebhookEventType[]; secret: SealedWebhookSecret },
): Promise<WebhookEndpointView> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      organiser_id: values.organiserId,
      url: values.url,
      description: values.description,
      events: [...values.events],
      key_id: values.secret.keyId,
      secret: values.secret.secret,
    })
    .returning(viewColumns)
    .executeTakeFirstOrThrow();
}

/** An organiser's endpoints, oldest first. */
export function listWebhookEndpoints(db: Db, organiserId: string): Promise<WebhookEndpointView[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(viewColumns)
    .where('organiser_id', '=', organiserId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many endpoints an organiser has. */
export async function countWebhookEndpoints(db: Db, organiserId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organiser_id', '=', organiserId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One of an organiser's endpoints; undefined when it is not theirs or does not exist. */
export function findWebhookEndpoint(db: Db, organiserId: string, endpointId: string): Promise<WebhookEndpointView | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .select(viewColumns)
    .where('organiser_id', '=', organiserId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
}

/** Changes an endpoint's address, description or events; undefined when it is not the organiser's. */
export function updateWebhookEndpoint(
  db: Db,
  organiserId: string,
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
    .where('organiser_id', '=', organiserId)
    .where('id', '=', endpointId)
    .returning(viewColumns)
    .executeTakeFirst();
}

/** Deletes an endpoint and its delivery log; false when it is not the organiser's. */
export async function deleteWebhookEndpoint(db: Db, organiserId: string, endpointId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('organiser_id', '=', organiserId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Replaces an endpoint's secret; the one it replaces keeps signing until `previousUntil`. A rotation during an
 * overlap drops the oldest secret: two sign at most. Undefined when the endpoint is not the organiser's.
 */
export function rotateWebhookEndpointSecret(
  db: Db,
  organiserId: string,
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
    .where('organiser_id', '=', organiserId)
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
