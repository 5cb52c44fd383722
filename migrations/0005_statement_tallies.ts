import { sql, type Kysely } from 'kysely';

// One keeper for both per-network tallies: the totals (`campaign_network_tallies`, read by the
// public numbers and the dashboard) and the minute-by-minute changes (`campaign_minutes`, the
// dashboard's chart). Until now the totals were kept by a row trigger and the minutes by the
// pledge code, two writers of one fact; and a row trigger made a bulk insert of a million pledges
// take minutes. This trigger runs once per statement, over the rows it changed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pledges_tally_by_network on pledges`.execute(db);
  await sql`drop function tally_pledge_by_network()`.execute(db);
  await tallyPledges.execute(db);
  await sql`create trigger pledges_tally_inserted after insert on pledges
    referencing new table as new_rows for each statement execute function tally_pledges()`.execute(db);
  await sql`create trigger pledges_tally_updated after update on pledges
    referencing old table as old_rows new table as new_rows for each statement execute function tally_pledges()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pledges_tally_updated on pledges`.execute(db);
  await sql`drop trigger pledges_tally_inserted on pledges`.execute(db);
  await sql`drop function tally_pledges()`.execute(db);
  await restoreTallyPledgeByNetworkTrigger(db);
}

// The statement trigger's function: each statement's changes per campaign and network, added to the totals and
// to the current minute. Migration 0007 replaces it with a striped copy, and restores this one on the way down.
const tallyPledges = sql`
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

/** The row trigger of migration 0004, as that migration made it, for the way down. */
async function restoreTallyPledgeByNetworkTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function tally_pledge_by_network() returns trigger language plpgsql as $$
    declare
      supporter_delta integer := 0;
      reach_delta bigint := 0;
      account_network text;
    begin
      if tg_op = 'INSERT' then
        if new.state = 'active' then supporter_delta := 1; reach_delta := new.followers; end if;
      else
        supporter_delta := (new.state = 'active')::int - (old.state = 'active')::int;
        reach_delta := (case when new.state = 'active' then new.followers else 0 end)
                     - (case when old.state = 'active' then old.followers else 0 end);
      end if;
      if supporter_delta = 0 and reach_delta = 0 then return null; end if;
      select network into account_network from social_accounts where id = new.social_account_id;
      insert into campaign_network_tallies as t (campaign_id, network, supporters, reach)
        values (new.campaign_id, account_network, supporter_delta, reach_delta)
        on conflict (campaign_id, network)
        do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach;
      return null;
    end $$`.execute(db);
  await sql`create trigger pledges_tally_by_network after insert or update of state, followers on pledges
    for each row execute function tally_pledge_by_network()`.execute(db);
}
