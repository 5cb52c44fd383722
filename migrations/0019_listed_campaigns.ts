import { sql, type Kysely } from 'kysely';

// The home page lists the instance's live campaigns whose organisers chose to be listed (issue 16, part 11).
//
// - `campaigns.listed`: the organiser's per-campaign choice, off by default (a campaign's page is public to whoever
//   has its link; being advertised on the instance's front page is a separate decision).
// - `campaigns_listed_live_idx`: the home page reads the listed campaigns still collecting or launching, soonest
//   launch first, with a partial index that holds only those few rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns add column listed boolean not null default false`.execute(db);
  await sql`create index campaigns_listed_live_idx on campaigns (launch_at, id)
    where listed and state in ('collecting', 'launching')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index campaigns_listed_live_idx`.execute(db);
  await sql`alter table campaigns drop column listed`.execute(db);
}
