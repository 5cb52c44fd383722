import { sql, type Kysely } from 'kysely';

// An organiser may delete their account (docs/organisations.md, "Deleting an account"). A campaign they created in an
// organisation that stays is the organisation's, not theirs: it stays, and "created by" no longer names anyone. Before,
// campaigns.organiser_id restricted the delete, so an account that had created a campaign could never go.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns alter column organiser_id drop not null`.execute(db);
  await sql`alter table campaigns drop constraint campaigns_organiser_id_fkey`.execute(db);
  await sql`alter table campaigns add constraint campaigns_organiser_id_fkey
    foreign key (organiser_id) references organisers (id) on delete set null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns drop constraint campaigns_organiser_id_fkey`.execute(db);
  await sql`alter table campaigns add constraint campaigns_organiser_id_fkey
    foreign key (organiser_id) references organisers (id) on delete restrict`.execute(db);
  await sql`alter table campaigns alter column organiser_id set not null`.execute(db);
}
