import { sql, type Kysely } from 'kysely';

// Organisers' mails go to every member of the campaign's organisation who wants them (issue 15, part 3), not only to
// the campaign's creator.
//
// - `organiser_mail_events`: one row per campaign event already told (its key, `<kind>:<campaign id>` or
//   `<kind>:<cause>:<campaign id>`), written in the statement that writes that event's mails to its members. The
//   sweep asks here, not in the outbox, whether an event was told: the outbox deletes its rows after
//   MAIL_RETENTION_DAYS, and a member who joins or switches a kind back on later is not sent old news.
// - `mail_outbox.dedupe_key` of organisers' mails becomes `<event key>:<organiser id>`, unique per recipient (the
//   unique index stays on the key alone). The organisers' mails already written get their recipient appended, and
//   their events are recorded as told, so an upgrade sends nothing again, to the creator or to anyone else.
const organiserKinds = sql`('goal-reached', 'launch-preflight', 'launch-report', 'delivery-trouble')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table organiser_mail_events (
    event text primary key check (length(event) <= 160),
    campaign_id uuid not null references campaigns(id) on delete cascade,
    written_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index organiser_mail_events_campaign_idx on organiser_mail_events (campaign_id)`.execute(db);
  await sql`insert into organiser_mail_events (event, campaign_id, written_at)
    select dedupe_key, campaign_id, min(created_at) from mail_outbox
    where kind in ${organiserKinds} and campaign_id is not null
    group by dedupe_key, campaign_id`.execute(db);
  await sql`update mail_outbox set dedupe_key = dedupe_key || ':' || organiser_id
    where kind in ${organiserKinds} and organiser_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // One mail per event is kept (the creator's where there is one), so the keys can lose their recipient again.
  await sql`delete from mail_outbox m using campaigns c
    where m.kind in ${organiserKinds} and m.campaign_id = c.id and m.organiser_id is distinct from c.organiser_id
      and exists (select 1 from mail_outbox o where o.kind = m.kind and o.campaign_id = m.campaign_id and o.id <> m.id
        and left(o.dedupe_key, length(o.dedupe_key) - 37) = left(m.dedupe_key, length(m.dedupe_key) - 37)
        and (o.organiser_id = c.organiser_id or o.id < m.id))`.execute(db);
  await sql`update mail_outbox set dedupe_key = left(dedupe_key, length(dedupe_key) - 37)
    where kind in ${organiserKinds} and organiser_id is not null and dedupe_key like '%:' || organiser_id::text`.execute(db);
  await sql`drop table organiser_mail_events`.execute(db);
}
