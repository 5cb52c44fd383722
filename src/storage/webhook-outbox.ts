import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';

/**
 * The webhook outbox's writes, as two common table expressions for the statement that makes the change they report
 * (so they commit with it, or not at all): the events `source` selects, for organisations with an endpoint asking for
 * their type, and a delivery per such endpoint. `source` selects organisation_id (the campaign's), campaign_id, type,
 * dedupe_key and payload (jsonb); an event whose dedupe_key exists is not written again. For an organisation without
 * endpoints this costs one index probe per source row. Put it in a WITH list: `with ..., ${webhookOutboxWrites(source)} select ...`.
 */
export function webhookOutboxWrites(source: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`webhook_event as (
      insert into webhook_events (organisation_id, campaign_id, type, dedupe_key, payload)
      select s.organisation_id, s.campaign_id, s.type, s.dedupe_key, s.payload from (${source}) s
      where exists (select 1 from webhook_endpoints e where e.organisation_id = s.organisation_id and s.type = any(e.events))
      on conflict (dedupe_key) do nothing
      returning id, organisation_id, type
    ), webhook_delivery as (
      insert into webhook_deliveries (event_id, endpoint_id)
      select ev.id, e.id from webhook_event ev join webhook_endpoints e on e.organisation_id = ev.organisation_id and ev.type = any(e.events)
      returning id
    )`;
}

/**
 * Writes the events `source` selects (see `webhookOutboxWrites`) in a statement of their own: inside the transaction
 * `db` is, when the change they report was made in it. Answers how many deliveries it made.
 */
export async function writeWebhookEvents(db: Kysely<Database>, source: RawBuilder<unknown>): Promise<number> {
  const result = await sql<{
    made: number;
  }>`with ${webhookOutboxWrites(source)} select count(*)::int as made from webhook_delivery`.execute(db);
  return result.rows[0]?.made ?? 0;
}
