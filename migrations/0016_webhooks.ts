import { sql, type Kysely } from 'kysely';

// Signed webhooks (issue 15, part 4).
//
// - `webhook_endpoints`: a URL an organiser registered, the events it asked for, and its signing secret sealed with
//   the token key (`key_id`), with the previous secret kept until `previous_secret_expires_at` after a rotation (both
//   sign every request meanwhile). The owner is `organiser_id` alone: organisations (issue 14) move endpoints by
//   replacing this one column and its index.
// - `webhook_events`: the outbox. Each row is written in the same statement or transaction as what it reports (a
//   pledge, a withdrawal, a launch's outcome), or, where it is derived (a goal reached), by an idempotent insert that
//   `dedupe_key` keeps to one. Rows are written only for organisers with an endpoint asking for that type.
// - `webhook_deliveries`: one per event and endpoint, written with the event. `enqueued_at` is set when a job was put
//   on the `webhooks` queue for the attempt due at `next_attempt_at`; a row whose job was lost is found by the sweep.
//   `claimed_until` is the lease of the worker sending it; `attempts` names the claim.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table webhook_endpoints (
    id uuid primary key default gen_random_uuid(),
    organiser_id uuid not null references organisers(id) on delete cascade,
    url text not null check (length(url) between 1 and 2000),
    description text not null default '' check (length(description) <= 200),
    events text[] not null check (cardinality(events) between 1 and 20),
    key_id text not null,
    secret bytea not null,
    previous_key_id text,
    previous_secret bytea,
    previous_secret_expires_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((previous_secret is null) = (previous_secret_expires_at is null) and (previous_secret is null) = (previous_key_id is null))
  )`.execute(db);
  await sql`create index webhook_endpoints_organiser_idx on webhook_endpoints (organiser_id)`.execute(db);

  await sql`create table webhook_events (
    id uuid primary key default gen_random_uuid(),
    organiser_id uuid not null references organisers(id) on delete cascade,
    campaign_id uuid,
    type text not null check (length(type) between 1 and 64),
    dedupe_key text not null unique,
    payload jsonb not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  // The retention sweep deletes the oldest events first (their deliveries go by cascade).
  await sql`create index webhook_events_created_idx on webhook_events (created_at)`.execute(db);

  await sql`create table webhook_deliveries (
    id uuid primary key default gen_random_uuid(),
    event_id uuid not null references webhook_events(id) on delete cascade,
    endpoint_id uuid not null references webhook_endpoints(id) on delete cascade,
    state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    enqueued_at timestamptz,
    claimed_until timestamptz,
    last_attempt_at timestamptz,
    last_status integer,
    last_error text check (length(last_error) <= 500),
    response_excerpt text check (length(response_excerpt) <= 500),
    created_at timestamptz not null default now(),
    finished_at timestamptz,
    unique (event_id, endpoint_id),
    check ((state = 'pending') = (finished_at is null))
  )`.execute(db);
  // The relay's question (pending, no job yet, due) and the sweep's (pending with a job, long overdue).
  await sql`create index webhook_deliveries_pending_idx on webhook_deliveries (next_attempt_at) where state = 'pending'`.execute(db);
  // The delivery log: an endpoint's deliveries, newest first.
  await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_events`.execute(db);
  await sql`drop table webhook_endpoints`.execute(db);
}
