import { sql, type Kysely } from 'kysely';

// A release writes every delivery twice (its claim, then its outcome). Both writes change
// `state`, which two indexes covered (`deliveries_campaign_state_idx` for counting a campaign's
// deliveries by state, `deliveries_unfinished_due` for the recovery sweep), so neither write
// could be a HOT update: each added a new entry to every index of the table, about eight per
// post. Now a campaign's deliveries are counted by state in `campaign_delivery_tallies`, kept by
// statement triggers as the pledges' tallies are (striped by connection, migration 0007), no
// index mentions a column a delivery's claim or outcome changes, and the table leaves room in
// each page for the two new versions of its rows, so both writes stay on the row's page and
// touch no index. The sweep finds overdue deliveries through the campaigns that are launching.
// The tallies are kept per network too (each delivery now carries its account's network, fixed
// when it is made), so the organiser's counts by network no longer join every delivery to its
// account.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deliveries add column network text`.execute(db);
  await sql`update deliveries d set network = a.network from pledges p join social_accounts a on a.id = p.social_account_id where p.id = d.pledge_id`.execute(
    db,
  );
  await sql`alter table deliveries alter column network set not null`.execute(db);
  await sql`create table campaign_delivery_tallies (
    campaign_id uuid not null references campaigns(id) on delete cascade,
    network text not null,
    state text not null,
    stripe smallint not null,
    deliveries integer not null,
    constraint campaign_delivery_tallies_pk primary key (campaign_id, network, state, stripe)
  )`.execute(db);
  await sql`insert into campaign_delivery_tallies (campaign_id, network, state, stripe, deliveries)
    select campaign_id, network, state, 0, count(*) from deliveries group by campaign_id, network, state`.execute(db);
  await tallyDeliveriesFunction.execute(db);
  await sql`create trigger deliveries_tally_inserted after insert on deliveries
    referencing new table as new_rows for each statement execute function tally_deliveries()`.execute(db);
  await sql`create trigger deliveries_tally_updated after update on deliveries
    referencing old table as old_rows new table as new_rows for each statement execute function tally_deliveries()`.execute(db);
  await sql`create trigger deliveries_tally_deleted after delete on deliveries
    referencing old table as old_rows for each statement execute function tally_deliveries()`.execute(db);

  await sql`drop index deliveries_campaign_state_idx`.execute(db);
  await sql`drop index deliveries_unfinished_due`.execute(db);
  // A campaign's deliveries in id order: the results table's pages, the counts by network, the sweep.
  await sql`create index deliveries_campaign_id_idx on deliveries (campaign_id, id)`.execute(db);
  // Room on each page for a row's claim and outcome versions (new pages only; old rows are final).
  await sql`alter table deliveries set (fillfactor = 40)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deliveries reset (fillfactor)`.execute(db);
  await sql`drop index deliveries_campaign_id_idx`.execute(db);
  await sql`create index deliveries_campaign_state_idx on deliveries (campaign_id, state)`.execute(db);
  await sql`create index deliveries_unfinished_due on deliveries (coalesce(lease_expires_at, next_attempt_at, updated_at)) where state in ('queued', 'held', 'claimed', 'unknown')`.execute(
    db,
  );
  for (const trigger of ['deliveries_tally_deleted', 'deliveries_tally_updated', 'deliveries_tally_inserted']) {
    await sql`drop trigger ${sql.ref(trigger)} on deliveries`.execute(db);
  }
  await sql`drop function tally_deliveries()`.execute(db);
  await sql`drop table campaign_delivery_tallies`.execute(db);
  await sql`alter table deliveries drop column network`.execute(db);
}

// Each statement's net change per (campaign, network, state), added to the stripe of its connection (16, as the
// pledges' tallies of 0007 have), in
// key order so that two statements meeting on one stripe lock its rows in the same order. A
// delete whose campaign is itself being deleted changes nothing: its tallies go with it.
const tallyDeliveriesFunction = sql`
  create function tally_deliveries() returns trigger language plpgsql as $$
  declare
    changes jsonb;
  begin
    -- Each branch names only the transition tables its event has.
    if tg_op = 'INSERT' then
      select jsonb_agg(c) into changes from (select campaign_id, network, state, count(*) as n from new_rows group by campaign_id, network, state) c;
    elsif tg_op = 'UPDATE' then
      select jsonb_agg(c) into changes from (
        select campaign_id, network, state, sum(n) as n from (
          select campaign_id, network, state, 1 as n from new_rows
          union all
          select campaign_id, network, state, -1 from old_rows
        ) moved group by campaign_id, network, state having sum(n) <> 0) c;
    else
      select jsonb_agg(c) into changes from (select campaign_id, network, state, -count(*) as n from old_rows group by campaign_id, network, state) c;
    end if;
    insert into campaign_delivery_tallies as t (campaign_id, network, state, stripe, deliveries)
    select x.campaign_id, x.network, x.state, (pg_backend_pid() % 16)::smallint, x.n
    from jsonb_to_recordset(coalesce(changes, '[]')) as x(campaign_id uuid, network text, state text, n integer)
    where exists (select 1 from campaigns c where c.id = x.campaign_id)
    order by x.campaign_id, x.network, x.state
    on conflict (campaign_id, network, state, stripe) do update set deliveries = t.deliveries + excluded.deliveries;
    return null;
  end $$`;
