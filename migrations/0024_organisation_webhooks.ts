import { sql, type Kysely } from 'kysely';

// Webhook endpoints belong to an organisation (issue 15, part 4: "an organisation registers HTTPS endpoints"), and
// an event of a campaign goes to the endpoints of the campaign's organisation (docs/webhooks.md, "Who owns an
// endpoint").
//
// - `webhook_endpoints.organisation_id` replaces `organiser_id`, which stays as `created_by` (who registered it, for
//   the audit trail; null once that organiser is gone). Each endpoint moves into one organisation of its organiser's:
//   one they own before one they do not (owners manage webhooks), then the one holding most of the campaigns they
//   created (those are the campaigns whose events the endpoint received), then the one they joined first. An endpoint
//   whose organiser belongs to no organisation has no one left to manage it and is deleted, with its log.
// - `webhook_events.organisation_id` replaces `organiser_id` the same way: a campaign's event is its organisation's,
//   a test event its endpoint's. An event no longer tied to either (its endpoint deleted, no campaign) is deleted:
//   nothing reads it, and the retention sweep would have.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_endpoints add column organisation_id uuid references organisations(id) on delete cascade`.execute(db);
  await sql`update webhook_endpoints e set organisation_id = (
      select m.organisation_id from organisation_members m
      where m.organiser_id = e.organiser_id
      order by m.role = 'owner' desc,
        (select count(*) from campaigns c where c.organisation_id = m.organisation_id and c.organiser_id = e.organiser_id) desc,
        m.created_at, m.organisation_id
      limit 1
    )`.execute(db);
  await sql`delete from webhook_endpoints where organisation_id is null`.execute(db);
  await sql`alter table webhook_endpoints alter column organisation_id set not null`.execute(db);
  await sql`alter table webhook_endpoints rename column organiser_id to created_by`.execute(db);
  await sql`alter table webhook_endpoints alter column created_by drop not null`.execute(db);
  await sql`alter table webhook_endpoints drop constraint webhook_endpoints_organiser_id_fkey`.execute(db);
  await sql`alter table webhook_endpoints add constraint webhook_endpoints_created_by_fkey
    foreign key (created_by) references organisers(id) on delete set null`.execute(db);
  await sql`drop index webhook_endpoints_organiser_idx`.execute(db);
  // The outbox's probe for each event it might write (an endpoint of this organisation asking for this type), and
  // the organisation's list.
  await sql`create index webhook_endpoints_organisation_idx on webhook_endpoints (organisation_id)`.execute(db);

  await sql`alter table webhook_events add column organisation_id uuid references organisations(id) on delete cascade`.execute(db);
  await sql`update webhook_events ev set organisation_id = c.organisation_id from campaigns c where c.id = ev.campaign_id`.execute(db);
  await sql`update webhook_events ev set organisation_id = (
      select e.organisation_id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
      where d.event_id = ev.id order by d.created_at limit 1
    ) where organisation_id is null`.execute(db);
  await sql`delete from webhook_events where organisation_id is null`.execute(db);
  await sql`alter table webhook_events alter column organisation_id set not null`.execute(db);
  await sql`alter table webhook_events drop column organiser_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to one organiser per endpoint: who registered it, else an owner of its organisation.
  const ownerOf = (organisation: string) =>
    sql.raw(`(select m.organiser_id from organisation_members m where m.organisation_id = ${organisation} and m.role = 'owner'
      order by m.created_at, m.organiser_id limit 1)`);
  await sql`alter table webhook_events add column organiser_id uuid references organisers(id) on delete cascade`.execute(db);
  await sql`update webhook_events ev set organiser_id = coalesce(c.organiser_id, ${ownerOf('ev.organisation_id')})
    from webhook_events x left join campaigns c on c.id = x.campaign_id where x.id = ev.id`.execute(db);
  await sql`delete from webhook_events where organiser_id is null`.execute(db);
  await sql`alter table webhook_events alter column organiser_id set not null`.execute(db);
  await sql`alter table webhook_events drop column organisation_id`.execute(db);

  await sql`update webhook_endpoints e set created_by = ${ownerOf('e.organisation_id')} where created_by is null`.execute(db);
  await sql`delete from webhook_endpoints where created_by is null`.execute(db);
  await sql`drop index webhook_endpoints_organisation_idx`.execute(db);
  await sql`alter table webhook_endpoints drop constraint webhook_endpoints_created_by_fkey`.execute(db);
  await sql`alter table webhook_endpoints rename column created_by to organiser_id`.execute(db);
  await sql`alter table webhook_endpoints alter column organiser_id set not null`.execute(db);
  await sql`alter table webhook_endpoints add constraint webhook_endpoints_organiser_id_fkey
    foreign key (organiser_id) references organisers(id) on delete cascade`.execute(db);
  await sql`alter table webhook_endpoints drop column organisation_id`.execute(db);
  await sql`create index webhook_endpoints_organiser_idx on webhook_endpoints (organiser_id)`.execute(db);
}
