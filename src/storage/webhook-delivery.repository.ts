import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { WebhookDeliveryDecision } from '../domain/webhook-attempt.ts';
import type { SentWebhookEventType } from '../domain/webhook-event-type.ts';
import type { Db, WebhookDelivery } from './database.ts';
import { writeWebhookEvents } from './webhook-outbox.ts';

/** A line of an endpoint's delivery log. */
export interface WebhookDeliveryLogLine {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: SentWebhookEventType;
  readonly state: WebhookDelivery['state'];
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly responseExcerpt: string | null;
  readonly createdAt: Date;
  readonly lastAttemptAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly finishedAt: Date | null;
}

/** An endpoint's deliveries, newest first, `limit` of them, before the delivery `before` names (the next page). */
export async function listWebhookDeliveries(
  db: Db,
  endpointId: string,
  limit: number,
  before?: { createdAt: Date; id: string },
): Promise<WebhookDeliveryLogLine[]> {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id as eventId',
      'e.type as eventType',
      'd.state',
      'd.attempts',
      'd.last_status as lastStatus',
      'd.last_error as lastError',
      'd.response_excerpt as responseExcerpt',
      'd.created_at as createdAt',
      'd.last_attempt_at as lastAttemptAt',
      'd.next_attempt_at as nextAttemptAt',
      'd.finished_at as finishedAt',
    ])
    .where('d.endpoint_id', '=', endpointId);
  if (before !== undefined)
    query = query.where((eb) => eb(eb.refTuple('d.created_at', 'd.id'), '<', eb.tuple(before.createdAt, before.id)));
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ ...row, nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null }));
}

/** Where the delivery log's next page starts: the delivery with this id, if it is the endpoint's. */
export function findWebhookDeliveryPosition(db: Db, endpointId: string, deliveryId: string) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['created_at as createdAt', 'id'])
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
}

/**
 * Writes a test event for one endpoint, whatever it subscribed to, with its delivery; answers the delivery's id.
 */
export async function insertTestWebhookEvent(
  db: Db,
  organisationId: string,
  endpointId: string,
  type: SentWebhookEventType,
  payload: Record<string, unknown>,
): Promise<string> {
  const row = await sql<{ id: string }>`
    with event as (
      insert into webhook_events (organisation_id, campaign_id, type, dedupe_key, payload)
      values (${organisationId}::uuid, null, ${type}::text, ${`test:${randomUUID()}`}::text, ${JSON.stringify(payload)}::jsonb)
      returning id
    )
    insert into webhook_deliveries (event_id, endpoint_id) select id, ${endpointId}::uuid from event returning id`.execute(db);
  const inserted = row.rows[0];
  if (inserted === undefined) throw new Error('the test event was not written');
  return inserted.id;
}

/**
 * The derived events a sweep writes: `campaign.goal_reached` for each collecting campaign at or past its goal whose
 * organisation asked for it (once per goal: a raised goal reached again is a new event). Answers how many deliveries it made.
 */
export async function writeGoalReachedEvents(db: Db): Promise<number> {
  const source = sql`
    select c.organisation_id, c.id as campaign_id, 'campaign.goal_reached'::text as type,
           'campaign.goal_reached:' || c.id || ':' || c.goal as dedupe_key,
           jsonb_build_object('campaignId', c.id, 'slug', c.slug, 'goal', c.goal, 'supporters', t.supporters) as payload
    from campaigns c
    cross join lateral (
      select coalesce(sum(n.supporters), 0)::int as supporters from campaign_network_tallies n where n.campaign_id = c.id
    ) t
    where c.state = 'collecting' and t.supporters >= c.goal
      and exists (select 1 from webhook_endpoints e where e.organisation_id = c.organisation_id and 'campaign.goal_reached' = any(e.events))`;
  return writeWebhookEvents(db, source);
}

/**
 * Marks up to `limit` pending deliveries that are due and have no job as enqueued, answering them: the caller puts
 * their jobs on the queue. Skips rows another worker is marking at the same moment.
 */
export async function takeDueWebhookDeliveries(db: Db, limit: number): Promise<{ id: string; attempts: number }[]> {
  const result = await sql<{ id: string; attempts: number }>`
    update webhook_deliveries set enqueued_at = now()
    where id in (
      select id from webhook_deliveries
      where state = 'pending' and enqueued_at is null and next_attempt_at <= now()
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning id, attempts`.execute(db);
  return result.rows;
}

/**
 * Hands back deliveries whose job was lost (Redis emptied, or a worker died between marking and enqueueing): pending,
 * enqueued, overdue by `graceMs`, and held by no live claim. The relay enqueues them again. Answers how many.
 */
export async function releaseLostWebhookJobs(db: Db, graceMs: number): Promise<number> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ enqueued_at: null })
    .where('state', '=', 'pending')
    .where('enqueued_at', 'is not', null)
    .where('next_attempt_at', '<', sql<Date>`now() - make_interval(secs => ${graceMs / 1000})`)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A delivery claimed for one attempt, with what it sends and the endpoint's sealed secrets. */
export interface ClaimedWebhookDelivery {
  readonly id: string;
  /** The attempt this claim makes (1 for the first); the claim's name when its outcome is written. */
  readonly attempt: number;
  readonly createdAt: Date;
  readonly eventId: string;
  readonly eventType: SentWebhookEventType;
  readonly eventCreatedAt: Date;
  readonly payload: Record<string, unknown>;
  readonly url: string;
  readonly keyId: string;
  readonly secret: Buffer;
  readonly previousKeyId: string | null;
  readonly previousSecret: Buffer | null;
  readonly previousSecretExpiresAt: Date | null;
}

/**
 * Claims a pending, due delivery for one attempt, for `leaseMs`: no other worker can claim it meanwhile (a claim
 * whose lease ran out can be taken over). Undefined when it is not pending, not due, or held.
 */
export async function claimWebhookDelivery(db: Db, deliveryId: string, leaseMs: number): Promise<ClaimedWebhookDelivery | undefined> {
  const result = await sql<ClaimedWebhookDelivery>`
    with claimed as (
      update webhook_deliveries set attempts = attempts + 1, claimed_until = now() + make_interval(secs => ${leaseMs / 1000}),
        last_attempt_at = now()
      where id = ${deliveryId}::uuid and state = 'pending' and next_attempt_at <= now() + interval '1 second'
        and (claimed_until is null or claimed_until < now())
      returning id, attempts, created_at, event_id, endpoint_id
    )
    select c.id, c.attempts as attempt, c.created_at as "createdAt", e.id as "eventId", e.type as "eventType",
           e.created_at as "eventCreatedAt", e.payload, p.url, p.key_id as "keyId", p.secret,
           p.previous_key_id as "previousKeyId", p.previous_secret as "previousSecret",
           p.previous_secret_expires_at as "previousSecretExpiresAt"
    from claimed c join webhook_events e on e.id = c.event_id join webhook_endpoints p on p.id = c.endpoint_id`.execute(db);
  return result.rows[0];
}

/** What an attempt brought back, as the delivery log keeps it. */
export interface WebhookAttemptNote {
  readonly status: number | null;
  readonly error: string | null;
  readonly excerpt: string | null;
}

/**
 * Writes an attempt's outcome, by the claim that made it only (false when its lease ran out and another took the
 * delivery). A retry is marked enqueued when `enqueued` says its delayed job is being put on the queue; otherwise
 * the relay finds it when it is due.
 */
export async function recordWebhookAttempt(
  db: Db,
  claim: Pick<ClaimedWebhookDelivery, 'id' | 'attempt'>,
  decision: WebhookDeliveryDecision,
  note: WebhookAttemptNote,
  enqueued: boolean,
): Promise<boolean> {
  const now = new Date();
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      state: decision.state,
      claimed_until: null,
      last_status: note.status,
      last_error: note.error,
      response_excerpt: note.excerpt,
      ...(decision.state === 'pending'
        ? { next_attempt_at: decision.nextAttemptAt, enqueued_at: enqueued ? now : null }
        : { finished_at: now }),
    })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempt)
    .where('state', '=', 'pending')
    .where('claimed_until', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes up to `limit` events made before `before`, with their deliveries; answers how many. */
export async function deleteWebhookEventsBefore(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_events')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_events as e')
        .select('e.id')
        .where('e.created_at', '<', before)
        // An event still being retried (a retry window longer than the retention) waits for its outcome.
        .where((inner) =>
          inner.not(
            inner.exists(
              inner
                .selectFrom('webhook_deliveries as d')
                .select('d.id')
                .whereRef('d.event_id', '=', 'e.id')
                .where('d.state', '=', 'pending'),
            ),
          ),
        )
        .orderBy('e.created_at')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
