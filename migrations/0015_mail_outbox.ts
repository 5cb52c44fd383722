import { sql, type Kysely } from 'kysely';

// Mail (issue 15): an outbox in Postgres, and which mails each organiser has switched off.
//
// - `mail_outbox`: one row per mail to send. It is written in the transaction of the event that causes it, or, for
//   an event Chorus works out from its tables (a goal reached, a launch a day away), by an insert that its
//   `dedupe_key` makes idempotent: a sweep may write the same mail any number of times and one row results. The
//   `mail` queue's job carries the row's id only; the row's id is also the mail's Message-ID, so a mail sent again
//   after a crash is the same message. `kind` is free text (organisers' and supporters' kinds are added without a
//   migration); `template_data` is what the template shows, fixed when the event happened. `state` is pending, sent
//   or failed (with the reason), and finished rows are deleted by the workers after MAIL_RETENTION_DAYS.
// - `organiser_mail_settings`: one row per organiser and mail kind they changed; no row means the kind is on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table mail_outbox (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind ~ '^[a-z][a-z0-9-]{0,63}$'),
    recipient text not null check (length(recipient) between 3 and 320),
    dedupe_key text not null unique check (length(dedupe_key) <= 200),
    template_data jsonb not null default '{}'::jsonb,
    organiser_id uuid references organisers(id) on delete cascade,
    campaign_id uuid references campaigns(id) on delete cascade,
    pledge_id uuid,
    state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    failure_reason text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    failed_at timestamptz,
    constraint mail_outbox_sent_has_time check (state <> 'sent' or sent_at is not null),
    constraint mail_outbox_failed_has_reason check (state <> 'failed' or (failure_reason is not null and failed_at is not null))
  )`.execute(db);
  await sql`create index mail_outbox_pending_idx on mail_outbox (created_at) where state = 'pending'`.execute(db);
  await sql`create index mail_outbox_finished_idx on mail_outbox (coalesce(sent_at, failed_at)) where state <> 'pending'`.execute(db);
  await sql`create index mail_outbox_campaign_idx on mail_outbox (campaign_id)`.execute(db);
  await sql`create index mail_outbox_organiser_idx on mail_outbox (organiser_id)`.execute(db);

  await sql`create table organiser_mail_settings (
    organiser_id uuid not null references organisers(id) on delete cascade,
    kind text not null check (kind ~ '^[a-z][a-z0-9-]{0,63}$'),
    enabled boolean not null,
    updated_at timestamptz not null default now(),
    primary key (organiser_id, kind)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table organiser_mail_settings`.execute(db);
  await sql`drop table mail_outbox`.execute(db);
}
