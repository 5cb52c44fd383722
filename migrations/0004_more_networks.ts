import { sql, type Kysely } from 'kysely';

// Mastodon, Bluesky and LinkedIn beside X, the campaign's own X account for repost mode,
// and per-network tallies kept by the database itself.
export async function up(db: Kysely<unknown>): Promise<void> {
  const networks = sql`array['x', 'mastodon', 'bluesky', 'linkedin']::text[]`;
  await sql`alter table social_accounts drop constraint social_accounts_network_check`.execute(db);
  await sql`alter table social_accounts add constraint social_accounts_network_check check (network = any (${networks}))`.execute(db);
  await sql`alter table campaigns drop constraint campaigns_networks_check`.execute(db);
  await sql`alter table campaigns add constraint campaigns_networks_check check (cardinality(networks) > 0 and networks <@ ${networks})`.execute(
    db,
  );

  // The server an account lives on (a Mastodon instance's origin); null where the network is one service.
  await db.schema.alterTable('social_accounts').addColumn('server', 'text').execute();

  await db.schema
    .alterTable('campaigns')
    .addColumn('x_mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('post')
        .check(sql`x_mode in ('post', 'repost')`),
    )
    .execute();

  // One OAuth app per Mastodon instance, registered on first use and kept.
  await db.schema
    .createTable('mastodon_apps')
    .addColumn('origin', 'text', (c) => c.primaryKey())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The campaign's own X account (repost mode): its grant, and the one post it makes at launch.
  await db.schema
    .createTable('campaign_accounts')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull().check(sql`network = 'x'`))
    .addColumn('network_user_id', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('access_token', 'bytea')
    .addColumn('refresh_token', 'bytea')
    .addColumn('access_expires_at', 'timestamptz')
    .addColumn('scopes', 'text')
    .addColumn('post_state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('none')
        .check(sql`post_state in ('none', 'sent', 'failed')`),
    )
    .addColumn('post_id', 'text')
    .addColumn('post_failure', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaign_accounts_sent_has_post_id', sql`post_state <> 'sent' or post_id is not null`)
    .execute();

  // Supporters and reach per network, kept in the pledge's own transaction by a trigger, so
  // the public breakdown reads a few rows instead of scanning a million pledges.
  await db.schema
    .createTable('campaign_network_tallies')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('supporters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reach', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('campaign_network_tallies_pk', ['campaign_id', 'network'])
    .execute();
  await createTallyPledgeByNetworkTrigger(db);
  // Pledges made before this migration.
  await sql`
    insert into campaign_network_tallies (campaign_id, network, supporters, reach)
    select p.campaign_id, a.network, count(*), sum(p.followers)
    from pledges p join social_accounts a on a.id = p.social_account_id
    where p.state = 'active' group by p.campaign_id, a.network`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pledges_tally_by_network on pledges`.execute(db);
  await sql`drop function tally_pledge_by_network()`.execute(db);
  for (const table of ['campaign_network_tallies', 'campaign_accounts', 'mastodon_apps']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('campaigns').dropColumn('x_mode').execute();
  await db.schema.alterTable('social_accounts').dropColumn('server').execute();
  await sql`alter table social_accounts drop constraint social_accounts_network_check`.execute(db);
  await sql`alter table social_accounts add constraint social_accounts_network_check check (network in ('x'))`.execute(db);
  await sql`alter table campaigns drop constraint campaigns_networks_check`.execute(db);
  await sql`alter table campaigns add constraint campaigns_networks_check check (cardinality(networks) > 0 and networks <@ array['x']::text[])`.execute(
    db,
  );
}

/** The row trigger that keeps `campaign_network_tallies` (0005 replaces it, and restores its own copy on the way down). */
async function createTallyPledgeByNetworkTrigger(db: Kysely<unknown>): Promise<void> {
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
