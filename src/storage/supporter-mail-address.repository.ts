import { sql, type RawBuilder } from 'kysely';
import type { Db, SupporterMailAddressRow } from './database.ts';
import { writeOutboxMails, type NewOutboxMail } from './mail-outbox.repository.ts';

/**
 * A supporter's address as the review step (or the API) leaves it, with the manage token sealed until the
 * confirmation mail goes, and the mail asking to confirm it (its dedupe key is the prefix and the new row's id).
 */
export interface NewSupporterAddress {
  readonly address: string;
  readonly followsUpdates: boolean;
  readonly sealedManageToken: { readonly keyId: string; readonly sealed: Buffer };
  readonly confirmMail: {
    readonly kind: string;
    readonly dedupeKeyPrefix: string;
    readonly templateData: Readonly<Record<string, unknown>>;
  };
}

/**
 * Keeps a pledge's address, unconfirmed, and writes the mail asking to confirm it, in one transaction; answers the
 * row's id and the outbox ids to hand to the queue. A pledge that had an address (a renewal) gets the new one under a
 * new id, unconfirmed again: links in earlier mails stop working, and the new address is asked to confirm.
 */
export async function saveSupporterAddress(
  db: Db,
  pledge: { readonly id: string; readonly campaignId: string },
  input: NewSupporterAddress,
): Promise<{ addressId: string; outboxIds: string[] }> {
  return db.transaction().execute(async (trx) => {
    // Mails written for the earlier address (or to confirm it) that are not sent yet must not reach it now.
    await trx.deleteFrom('mail_outbox').where('pledge_id', '=', pledge.id).where('state', '=', 'pending').execute();
    await trx.deleteFrom('supporter_mail_addresses').where('pledge_id', '=', pledge.id).execute();
    const row = await trx
      .insertInto('supporter_mail_addresses')
      .values({
        pledge_id: pledge.id,
        campaign_id: pledge.campaignId,
        address: input.address,
        follows_updates: input.followsUpdates,
        sealed_manage_token: input.sealedManageToken.sealed,
        key_id: input.sealedManageToken.keyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outboxIds = await writeOutboxMails(trx, [
      {
        kind: input.confirmMail.kind,
        recipient: input.address,
        dedupeKey: `${input.confirmMail.dedupeKeyPrefix}${row.id}`,
        templateData: input.confirmMail.templateData,
        campaignId: pledge.campaignId,
        pledgeId: pledge.id,
      },
    ]);
    return { addressId: row.id, outboxIds };
  });
}

/**
 * The WITH-list entries that keep a pledge's address and write its confirmation mail inside the pledge's own statement
 * (`pledge` names the CTE with the written pledge: id, campaign_id), as saveSupporterAddress does in a transaction: the
 * pledge, the address and the mail commit together or not at all, in the pledge's one round trip. A renewal's earlier
 * address is replaced under a new id (its links stop working) and its pending mails are dropped. `confirm_mail` returns
 * the outbox ids. Put it in a WITH list: `with ..., ${supporterAddressWrites(input)}, ... select ...`.
 */
export function supporterAddressWrites(input: NewSupporterAddress): RawBuilder<unknown> {
  return sql`mail_address as (
      insert into supporter_mail_addresses (pledge_id, campaign_id, address, follows_updates, sealed_manage_token, key_id)
      select id, campaign_id, ${input.address}::text, ${input.followsUpdates}::boolean, ${input.sealedManageToken.sealed}::bytea,
             ${input.sealedManageToken.keyId}::text
      from pledge
      on conflict (pledge_id) do update set
        id = gen_random_uuid(), address = excluded.address, follows_updates = excluded.follows_updates, state = 'unconfirmed',
        sealed_manage_token = excluded.sealed_manage_token, key_id = excluded.key_id, created_at = now(), confirmed_at = null,
        outcome_mailed_at = null, reminder_mailed_at = null, updates_mailed_through = null
      returning id, pledge_id, campaign_id
    ), dropped_mail as (
      -- The statement's snapshot does not see the confirmation written beside it: only earlier pending mails go.
      delete from mail_outbox where pledge_id in (select id from pledge) and state = 'pending'
    ), confirm_mail as (
      insert into mail_outbox (kind, recipient, dedupe_key, template_data, campaign_id, pledge_id)
      select ${input.confirmMail.kind}::text, ${input.address}::text, ${input.confirmMail.dedupeKeyPrefix}::text || m.id,
             ${JSON.stringify(input.confirmMail.templateData)}::jsonb, m.campaign_id, m.pledge_id
      from mail_address m
      on conflict (dedupe_key) do nothing
      returning id
    )`;
}

/** An address with what its pages and mails show: the campaign, and the pledge's text. */
export type SupporterAddressInContext = SupporterMailAddressRow & {
  readonly campaign_slug: string;
  readonly campaign_title: string;
  readonly campaign_launch_at: Date;
  readonly campaign_time_zone: string;
  readonly pledge_text: string;
};

/** A supporter's address by its id, with its campaign and its pledge's text, for the pages its links open. */
export function findSupporterAddress(db: Db, id: string): Promise<SupporterAddressInContext | undefined> {
  return db
    .selectFrom('supporter_mail_addresses')
    .innerJoin('campaigns', 'campaigns.id', 'supporter_mail_addresses.campaign_id')
    .innerJoin('pledges', 'pledges.id', 'supporter_mail_addresses.pledge_id')
    .selectAll('supporter_mail_addresses')
    .select([
      'campaigns.slug as campaign_slug',
      'campaigns.title as campaign_title',
      'campaigns.launch_at as campaign_launch_at',
      'campaigns.time_zone as campaign_time_zone',
      'pledges.text as pledge_text',
    ])
    .where('supporter_mail_addresses.id', '=', id)
    .executeTakeFirst();
}

/** The address a pledge's mails go to, if the supporter left one. */
export function findAddressOfPledge(db: Db, pledgeId: string): Promise<SupporterMailAddressRow | undefined> {
  return db.selectFrom('supporter_mail_addresses').selectAll().where('pledge_id', '=', pledgeId).executeTakeFirst();
}

/**
 * Confirms an unconfirmed address and writes the confirmation mail in the same transaction; answers the outbox ids,
 * or undefined when the address was not waiting for confirmation (confirmed already, or gone).
 */
export async function confirmSupporterAddress(
  db: Db,
  id: string,
  now: Date,
  confirmedMail: (row: SupporterMailAddressRow) => NewOutboxMail,
): Promise<string[] | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('supporter_mail_addresses')
      .set({ state: 'confirmed', confirmed_at: now, updates_mailed_through: now })
      .where('id', '=', id)
      .where('state', '=', 'unconfirmed')
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return writeOutboxMails(trx, [confirmedMail(row)]);
  });
}

/** Replaces the sealed manage token of a pledge whose confirmation mail has not gone yet (a renewal made a new token); else nothing. */
export async function resealManageToken(
  db: Db,
  pledgeId: string,
  token: { readonly keyId: string; readonly sealed: Buffer },
): Promise<void> {
  await db
    .updateTable('supporter_mail_addresses')
    .set({ sealed_manage_token: token.sealed, key_id: token.keyId })
    .where('pledge_id', '=', pledgeId)
    .where('sealed_manage_token', 'is not', null)
    .execute();
}

/** Forgets the sealed manage token once the mail carrying it was sent. */
export async function dropSealedManageToken(db: Db, pledgeId: string): Promise<void> {
  await db
    .updateTable('supporter_mail_addresses')
    .set({ sealed_manage_token: null, key_id: null })
    .where('pledge_id', '=', pledgeId)
    .where('sealed_manage_token', 'is not', null)
    .execute();
}

/** Deletes an address and every mail to it not yet sent (unsubscribe); true when there was one. */
export async function deleteSupporterAddress(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('supporter_mail_addresses').where('id', '=', id).returning('pledge_id').executeTakeFirst();
    if (gone === undefined) return false;
    await trx.deleteFrom('mail_outbox').where('pledge_id', '=', gone.pledge_id).where('state', '=', 'pending').execute();
    return true;
  });
}

/** Deletes a pledge's address, if it has one, and every mail to it not yet sent. */
export async function deleteAddressOfPledge(db: Db, pledgeId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('supporter_mail_addresses').where('pledge_id', '=', pledgeId).execute();
    await trx.deleteFrom('mail_outbox').where('pledge_id', '=', pledgeId).where('state', '=', 'pending').execute();
  });
}

/** Deletes addresses left unconfirmed since before `before`, at most `limit` at once; answers how many. */
export async function deleteUnconfirmedAddresses(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('supporter_mail_addresses')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('supporter_mail_addresses')
        .select('id')
        .where('state', '=', 'unconfirmed')
        .where('created_at', '<', before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
