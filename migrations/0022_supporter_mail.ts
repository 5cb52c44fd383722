import { sql, type Kysely } from 'kysely';

// Supporters' mail (issue 15, part 2): the address a supporter may leave at the review step, one per pledge.
//
// - `supporter_mail_addresses`: the address, whether it is confirmed (double opt-in: nothing but the request to
//   confirm is sent before), whether the supporter follows the campaign's updates, and which one-time mails were
//   written (the outcome, the access reminder; `updates_mailed_through` for updates), so that a sweep writes each
//   once however long the outbox keeps its rows. The manage token is kept sealed with the token key only until the
//   confirmation mail carrying it is sent. The row's id names it in the mails' links (confirm, unsubscribe), which
//   carry a MAC of it, not a stored secret. Deleting the pledge (erasure) deletes the address.
// - `mail_outbox.pledge_id` becomes a foreign key, on delete cascade: erasing a pledge erases its mails, whose
//   recipient is the supporter's address.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table supporter_mail_addresses (
    id uuid primary key default gen_random_uuid(),
    pledge_id uuid not null unique references pledges(id) on delete cascade,
    campaign_id uuid not null references campaigns(id) on delete cascade,
    address text not null check (length(address) between 3 and 254),
    follows_updates boolean not null default false,
    state text not null default 'unconfirmed' check (state in ('unconfirmed', 'confirmed')),
    sealed_manage_token bytea,
    key_id text,
    created_at timestamptz not null default now(),
    confirmed_at timestamptz,
    outcome_mailed_at timestamptz,
    reminder_mailed_at timestamptz,
    updates_mailed_through timestamptz,
    constraint supporter_mail_addresses_confirmed_has_time check (state <> 'confirmed' or confirmed_at is not null),
    constraint supporter_mail_addresses_sealed_has_key check ((sealed_manage_token is null) = (key_id is null))
  )`.execute(db);
  // The sweep's look-ups, from the campaign, over the addresses still owed a mail only: an address leaves the first
  // index once told the outcome, and is found in the second only while an update is newer than its mark.
  await sql`create index supporter_mail_addresses_outcome_due_idx on supporter_mail_addresses (campaign_id)
    where state = 'confirmed' and outcome_mailed_at is null`.execute(db);
  await sql`create index supporter_mail_addresses_followers_idx on supporter_mail_addresses (campaign_id, updates_mailed_through)
    where state = 'confirmed' and follows_updates`.execute(db);
  await sql`create index supporter_mail_addresses_unconfirmed_idx on supporter_mail_addresses (created_at) where state = 'unconfirmed'`.execute(
    db,
  );
  await sql`create index mail_outbox_pledge_idx on mail_outbox (pledge_id) where pledge_id is not null`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_pledge_id_fkey
    foreign key (pledge_id) references pledges(id) on delete cascade`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox drop constraint mail_outbox_pledge_id_fkey`.execute(db);
  await sql`drop index mail_outbox_pledge_idx`.execute(db);
  await sql`drop table supporter_mail_addresses`.execute(db);
}
