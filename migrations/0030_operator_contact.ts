import { sql, type Kysely } from 'kysely';

// The operators' contact (docs/operators.md, "The operators' contact"): an address users are shown where they look for
// who runs this Chorus (the privacy page, the report page, the suspension notices and mails). Optional: unset, those
// places keep their general wording.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table instance_settings add column contact_email text
    check (contact_email is null or (length(contact_email) <= 254 and contact_email like '%_@_%'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table instance_settings drop column contact_email`.execute(db);
}
