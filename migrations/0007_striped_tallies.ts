import { sql, type Kysely } from 'kysely';
import { tallyPledgesFunction } from './0005_statement_tallies.ts';

// Pledges to one campaign used to queue on three shared rows: the campaign's counters, its
// network's tally and the current minute's tally, each locked until the pledge's commit (its WAL
// flush). That capped a campaign at a few hundred pledges a second whatever the machine. Now each
// tally is split into stripes and a pledge adds to the stripe of its own database connection, so
// concurrent pledges add to different rows; readers sum a campaign's stripes (at most
// `stripes` × networks rows). The campaign's own supporter_count and reach columns go: they are
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
  await tallyPledgesFunction({ striped: true }).execute(db);
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
  await tallyPledgesFunction({ striped: false }).execute(db);
}
