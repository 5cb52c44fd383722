import { sql, type Kysely } from 'kysely';

// Pledges to one campaign used to queue on three shared rows: the campaign's counters, its
// network's tally and the current minute's tally, each locked until the pledge's commit (its WAL
// flush). That capped a campaign at a few hundred pledges a second whatever the machine. Now each
// tally is split into stripes and a pledge adds to the stripe of its own database connection, so
// concurrent pledges add to different rows; readers sum a campaign's stripes (at most
// 16 × networks rows). The campaign's own supporter_count and reach columns go: they are
// the sum of its tallies, and the launch sums them under its row lock.

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, key] of [
    ['campaign_network_tallies', 'campaign_id, network'],
    ['campaign_minutes', 'campaign_id, network, minute'],
  ] as const) {
    await sql`alter table ${sql.table(table)} add column stripe smallint not null default 0`.execute(db);
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_pk`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_pk`)} primary key (${sql.raw(key)}, stripe)`.execute(db);
  }
  await sql`alter table campaigns drop column supporter_count, drop column reach`.execute(db);
  await stripedTallyPledges.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns add column supporter_count integer not null default 0 check (supporter_count >= 0),
    add column reach bigint not null default 0 check (reach >= 0)`.execute(db);
  await sql`update campaigns set supporter_count = t.supporters, reach = t.reach
    from (select campaign_id, sum(supporters) as supporters, sum(reach) as reach from campaign_network_tallies group by campaign_id) t
    where campaigns.id = t.campaign_id`.execute(db);
  for (const [table, key] of [
    ['campaign_network_tallies', 'campaign_id, network'],
    ['campaign_minutes', 'campaign_id, network, minute'],
  ] as const) {
    // Fold the stripes back into stripe 0 before the column goes.
    await sql`
      with folded as (
        delete from ${sql.table(table)} where stripe <> 0
        returning ${sql.raw(key)}, supporters, reach
      ), sums as (
        select ${sql.raw(key)}, sum(supporters) as supporters, sum(reach) as reach from folded group by ${sql.raw(key)}
      )
      insert into ${sql.table(table)} as t (${sql.raw(key)}, stripe, supporters, reach)
      select ${sql.raw(key)}, 0, supporters, reach from sums
      on conflict (${sql.raw(key)}, stripe) do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_pk`)}`.execute(db);
    await sql`alter table ${sql.table(table)} drop column stripe`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_pk`)} primary key (${sql.raw(key)})`.execute(db);
  }
  await unstripedTallyPledges.execute(db);
}

// Migration 0005's function, adding each statement's changes to the stripe of the connection that made them
// (16 stripes, as the deliveries' tallies of 0008 have): one connection runs one transaction at a time, so its
// own stripe never waits on itself.
const stripedTallyPledges = sql`
    create or replace function tally_pledges() returns trigger language plpgsql as $$
    declare
      changes jsonb;
    begin
      if tg_op = 'INSERT' then
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network, count(*) as supporters, sum(n.followers) as reach
          from new_rows n join social_accounts a on a.id = n.social_account_id
          where n.state = 'active'
          group by n.campaign_id, a.network) c;
      else
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network,
                 sum((n.state = 'active')::int - (o.state = 'active')::int) as supporters,
                 sum((case when n.state = 'active' then n.followers else 0 end) - (case when o.state = 'active' then o.followers else 0 end)) as reach
          from new_rows n join old_rows o on o.id = n.id join social_accounts a on a.id = n.social_account_id
          group by n.campaign_id, a.network) c;
      end if;
      with c as (
        select * from jsonb_to_recordset(changes) as x(campaign_id uuid, network text, supporters integer, reach bigint)
        where supporters <> 0 or reach <> 0
      ), totals as (
        insert into campaign_network_tallies as t (campaign_id, network, stripe, supporters, reach)
        select campaign_id, network, (pg_backend_pid() % 16)::smallint, supporters, reach from c
        on conflict (campaign_id, network, stripe)
        do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach
      )
      insert into campaign_minutes as m (campaign_id, network, minute, stripe, supporters, reach)
      select campaign_id, network, date_trunc('minute', now()), (pg_backend_pid() % 16)::smallint, supporters, reach from c
      on conflict (campaign_id, network, minute, stripe)
      do update set supporters = m.supporters + excluded.supporters, reach = m.reach + excluded.reach;
      return null;
    end $$`;

// Migration 0005's function as it made it, for the way down.
const unstripedTallyPledges = sql`
    create or replace function tally_pledges() returns trigger language plpgsql as $$
    declare
      changes jsonb;
    begin
      if tg_op = 'INSERT' then
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network, count(*) as supporters, sum(n.followers) as reach
          from new_rows n join social_accounts a on a.id = n.social_account_id
          where n.state = 'active'
          group by n.campaign_id, a.network) c;
      else
        select coalesce(jsonb_agg(c), '[]') into changes from (
          select n.campaign_id, a.network,
                 sum((n.state = 'active')::int - (o.state = 'active')::int) as supporters,
                 sum((case when n.state = 'active' then n.followers else 0 end) - (case when o.state = 'active' then o.followers else 0 end)) as reach
          from new_rows n join old_rows o on o.id = n.id join social_accounts a on a.id = n.social_account_id
          group by n.campaign_id, a.network) c;
      end if;
      with c as (
        select * from jsonb_to_recordset(changes) as x(campaign_id uuid, network text, supporters integer, reach bigint)
        where supporters <> 0 or reach <> 0
      ), totals as (
        insert into campaign_network_tallies as t (campaign_id, network, supporters, reach)
        select campaign_id, network, supporters, reach from c
        on conflict (campaign_id, network)
        do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach
      )
      insert into campaign_minutes as m (campaign_id, network, minute, supporters, reach)
      select campaign_id, network, date_trunc('minute', now()), supporters, reach from c
      on conflict (campaign_id, network, minute)
      do update set supporters = m.supporters + excluded.supporters, reach = m.reach + excluded.reach;
      return null;
    end $$`;
