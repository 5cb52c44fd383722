import { sql, type Kysely } from 'kysely';
import { createTallyPledgeByNetworkTrigger } from './0004_more_networks.ts';

// One keeper for both per-network tallies: the totals (`campaign_network_tallies`, read by the
// public numbers and the dashboard) and the minute-by-minute changes (`campaign_minutes`, the
// dashboard's chart). Until now the totals were kept by a row trigger and the minutes by the
// pledge code, two writers of one fact; and a row trigger made a bulk insert of a million pledges
// take minutes. This trigger runs once per statement, over the rows it changed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pledges_tally_by_network on pledges`.execute(db);
  await sql`drop function tally_pledge_by_network()`.execute(db);
  await tallyPledgesFunction({ striped: false }).execute(db);
  await sql`create trigger pledges_tally_inserted after insert on pledges
    referencing new table as new_rows for each statement execute function tally_pledges()`.execute(db);
  await sql`create trigger pledges_tally_updated after update on pledges
    referencing old table as old_rows new table as new_rows for each statement execute function tally_pledges()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pledges_tally_updated on pledges`.execute(db);
  await sql`drop trigger pledges_tally_inserted on pledges`.execute(db);
  await sql`drop function tally_pledges()`.execute(db);
  await createTallyPledgeByNetworkTrigger(db);
}

// How many rows each tally is split into, from migration 0007 on (the deliveries' tallies of 0008 too).
export const stripes = 16;

/**
 * The tally trigger's function, as this migration makes it, or (`striped`, migration 0007) adding
 * each statement's changes to the stripe of the connection that made them: one connection runs
 * one transaction at a time, so its own stripe never waits on itself.
 */
export function tallyPledgesFunction(options: { striped: boolean }) {
  const stripeColumn = options.striped ? sql.raw(', stripe') : sql.raw('');
  const stripeValue = options.striped ? sql.raw(`, (pg_backend_pid() % ${stripes})::smallint`) : sql.raw('');
  return sql`
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
        insert into campaign_network_tallies as t (campaign_id, network${stripeColumn}, supporters, reach)
        select campaign_id, network${stripeValue}, supporters, reach from c
        on conflict (campaign_id, network${stripeColumn})
        do update set supporters = t.supporters + excluded.supporters, reach = t.reach + excluded.reach
      )
      insert into campaign_minutes as m (campaign_id, network, minute${stripeColumn}, supporters, reach)
      select campaign_id, network, date_trunc('minute', now())${stripeValue}, supporters, reach from c
      on conflict (campaign_id, network, minute${stripeColumn})
      do update set supporters = m.supporters + excluded.supporters, reach = m.reach + excluded.reach;
      return null;
    end $$`;
}
