import { sql } from 'kysely';
import type { NetworkProfile } from '../networks/social-network.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Transaction } from 'kysely';
import type { Database, Db, Pledge } from './database.ts';
import { findPledgeDelivery } from './delivery-result.repository.ts';
import { campaignsWithTotals } from './campaign.repository.ts';
import { isUniqueViolation } from './organiser.repository.ts';
import { prepared } from './prepared-statement.ts';
import { supporterAddressWrites, type NewSupporterAddress } from './supporter-mail-address.repository.ts';
import { webhookOutboxWrites, writeWebhookEvents } from './webhook-outbox.ts';

/** Encrypted grant, ready to store. */
export interface SealedCredentials {
  readonly keyId: string;
  readonly accessToken: Buffer;
  readonly refreshToken: Buffer | null;
  readonly accessExpiresAt: Date;
  readonly scopes: string;
}

export interface PledgeInput {
  readonly campaignId: string;
  readonly network: NetworkId;
  readonly profile: NetworkProfile;
  readonly text: string;
  readonly variantIndex: number | null;
  readonly credentials: SealedCredentials;
  readonly manageTokenHash: string;
  /** Whether the supporter's name may appear on the public page; null keeps a renewed pledge's choice (new ones: no). */
  readonly shownPublicly?: boolean | null;
  /** An address the supporter left for mail, kept with its confirmation mail in the pledge's own statement. */
  readonly mailAddress?: NewSupporterAddress | undefined;
}

export type RecordPledgeResult =
  /** `mailIds`: the outbox rows written with it (the mail asking to confirm the address), to hand to the queue. */
  | { readonly kind: 'created'; readonly pledge: Pledge; readonly mailIds: readonly string[] }
  | { readonly kind: 'updated'; readonly pledge: Pledge; readonly mailIds: readonly string[] }
  | { readonly kind: 'not-collecting' };

/**
 * Records a supporter's pledge, or updates their active one, with their grant (and the address they left, with the
 * mail asking to confirm it), in one statement (one round trip, committed on its own, all or nothing); the tally
 * trigger adds it to the campaign's numbers.
 * The statement first takes a share lock on the campaign row while it collects: pledges share it
 * with each other, but the launch's row lock waits for them, so a pledge either commits before the
 * goal check or finds the campaign no longer collecting and writes nothing.
 */
export async function recordPledge(db: Db, input: PledgeInput): Promise<RecordPledgeResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await db.executeQuery(prepared(writePledge(input).compile(db)));
      const row = rows[0];
      if (row === undefined) return { kind: 'not-collecting' };
      const { was_created: created, mail_ids: mailIds, ...pledge } = row;
      return created ? { kind: 'created', pledge, mailIds } : { kind: 'updated', pledge, mailIds };
    } catch (error) {
      // The same account finishing two consents at once: the second sees the first's pledge on retry.
      if (attempt === 1 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function writePledge(input: PledgeInput) {
  const { profile, credentials: c } = input;
  return sql<Pledge & { was_created: boolean; mail_ids: string[] }>`
    with campaign as (
      select id, organisation_id from campaigns
      where id = ${input.campaignId}::uuid and state = 'collecting' and launch_at > now()
      for share
    ), account as (
      insert into social_accounts (network, network_user_id, handle, display_name, followers, server)
      select ${input.network}::text, ${profile.networkUserId}::text, ${profile.handle}::text, ${profile.displayName}::text,
             ${profile.followers}::int, ${profile.server ?? null}::text
      from campaign
      on conflict (network, network_user_id) do update set
        server = excluded.server, handle = excluded.handle, display_name = excluded.display_name,
        followers = excluded.followers, updated_at = now()
      returning id
    ), existing as (
      select p.id from pledges p join account a on a.id = p.social_account_id
      where p.campaign_id = ${input.campaignId}::uuid and p.state = 'active'
    ), inserted as (
      insert into pledges (campaign_id, social_account_id, text, variant_index, followers, manage_token_hash, shown_publicly)
      select ${input.campaignId}::uuid, a.id, ${input.text}::text, ${input.variantIndex}::int, ${profile.followers}::int, ${input.manageTokenHash}::text,
             coalesce(${input.shownPublicly ?? null}::boolean, false)
      from account a where not exists (select 1 from existing)
      returning *
    ), updated as (
      update pledges set text = ${input.text}::text, variant_index = ${input.variantIndex}::int, followers = ${profile.followers}::int,
        manage_token_hash = ${input.manageTokenHash}::text,
        shown_publicly = coalesce(${input.shownPublicly ?? null}::boolean, pledges.shown_publicly), access_refused_reason = null,
        updated_at = now()
      from existing where pledges.id = existing.id
      returning pledges.*
    ), pledge as (
      select *, true as was_created from inserted
      union all
      select *, false as was_created from updated
    ), grant_row as (
      insert into pledge_credentials (pledge_id, key_id, access_token, refresh_token, access_expires_at, scopes)
      select id, ${c.keyId}::text, ${c.accessToken}::bytea, ${c.refreshToken}::bytea, ${c.accessExpiresAt}::timestamptz, ${c.scopes}::text
      from pledge
      on conflict (pledge_id) do update set
        key_id = excluded.key_id, access_token = excluded.access_token,
        -- A new grant without a refresh token must not wipe the one already held.
        refresh_token = coalesce(excluded.refresh_token, pledge_credentials.refresh_token),
        access_expires_at = excluded.access_expires_at, scopes = excluded.scopes, updated_at = now()
    ), ${input.mailAddress === undefined ? sql`` : sql`${supporterAddressWrites(input.mailAddress)},`} ${webhookOutboxWrites(sql`
      select c.organisation_id, c.id as campaign_id, 'pledge.created'::text as type, 'pledge.created:' || i.id as dedupe_key,
             jsonb_build_object('campaignId', c.id, 'pledgeId', i.id, 'network', ${input.network}::text, 'pledgedAt', i.created_at) as payload
      from inserted i cross join campaign c`)}
    select *, ${input.mailAddress === undefined ? sql`array[]::uuid[]` : sql`array(select id from confirm_mail)`} as mail_ids from pledge`;
}

/**
 * Takes a share lock on the campaign row if the campaign collects, and says whether it did; the
 * launch's FOR UPDATE waits for every holder.
 */
export async function holdCollectingCampaign(trx: Transaction<Database>, campaignId: string): Promise<boolean> {
  const campaign = await trx
    .selectFrom('campaigns')
    .select('id')
    .where('id', '=', campaignId)
    .where('state', '=', 'collecting')
    .forShare()
    .executeTakeFirst();
  return campaign !== undefined;
}

/**
 * The pledge a supporter's private link points at, with its campaign and account, and whether Chorus still holds a
 * grant for it (an active pledge without one before the launch had its refresh refused and must be authorised again).
 */
export async function findPledgeByManageToken(db: Db, pledgeId: string, manageTokenHash: string) {
  const pledge = await db
    .selectFrom('pledges')
    .selectAll()
    .where('id', '=', pledgeId)
    .where('manage_token_hash', '=', manageTokenHash)
    .executeTakeFirst();
  if (pledge === undefined) return undefined;
  const [campaign, account, delivery, grant] = await Promise.all([
    campaignsWithTotals(db).where('id', '=', pledge.campaign_id).executeTakeFirstOrThrow(),
    db.selectFrom('social_accounts').selectAll().where('id', '=', pledge.social_account_id).executeTakeFirstOrThrow(),
    // Its post, once the launch made a delivery of it (the supporter's page says whether it went out).
    findPledgeDelivery(db, pledge.id),
    db.selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', '=', pledge.id).executeTakeFirst(),
  ]);
  return { pledge, campaign, account, delivery: delivery ?? null, holdsGrant: grant !== undefined };
}

export type WithdrawResult = 'withdrawn' | 'already-withdrawn' | 'too-late';

/**
 * Withdraws a pledge before launch: its access and its mail address are erased and the campaign's numbers drop with it. Grants the
 * same account gave for this campaign and has not confirmed yet (a review page left open) go too, so none of
 * them can bring the pledge back.
 */
export function withdrawPledge(db: Db, pledge: Pick<Pledge, 'id' | 'campaign_id'>): Promise<WithdrawResult> {
  return db.transaction().execute(async (trx) => {
    // Launched (or launching) already: the pledge stands.
    if (!(await holdCollectingCampaign(trx, pledge.campaign_id))) return 'too-late' as const;
    await deleteAccountPendingPledges(trx, pledge);
    const withdrawn = await trx
      .updateTable('pledges')
      .set({ state: 'withdrawn', withdrawn_at: new Date(), updated_at: new Date() })
      .where('id', '=', pledge.id)
      .where('state', '=', 'active')
      .returning(['id'])
      .executeTakeFirst();
    if (withdrawn === undefined) return 'already-withdrawn' as const;
    await trx.deleteFrom('pledge_credentials').where('pledge_id', '=', pledge.id).execute();
    await writeWebhookEvents(
      trx,
      sql`select c.organisation_id, c.id as campaign_id, 'pledge.withdrawn'::text as type, 'pledge.withdrawn:' || p.id as dedupe_key,
                 jsonb_build_object('campaignId', c.id, 'pledgeId', p.id, 'network', a.network, 'withdrawnAt', p.withdrawn_at) as payload
          from pledges p join campaigns c on c.id = p.campaign_id join social_accounts a on a.id = p.social_account_id
          where p.id = ${pledge.id}::uuid`,
    );
    // Nothing more will be said to a supporter who withdrew: their address goes, with the mails not sent yet.
    await trx.deleteFrom('supporter_mail_addresses').where('pledge_id', '=', pledge.id).execute();
    await trx.deleteFrom('mail_outbox').where('pledge_id', '=', pledge.id).where('state', '=', 'pending').execute();
    return 'withdrawn' as const;
  });
}

/** Deletes the pending pledges the pledge's account holds for the pledge's campaign. */
async function deleteAccountPendingPledges(trx: Transaction<Database>, pledge: Pick<Pledge, 'id' | 'campaign_id'>): Promise<void> {
  await trx
    .deleteFrom('pending_pledges')
    .where('campaign_id', '=', pledge.campaign_id)
    .where((eb) =>
      eb(
        eb.refTuple('network', 'network_user_id'),
        'in',
        eb
          .selectFrom('pledges')
          .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
          .select(['social_accounts.network', 'social_accounts.network_user_id'])
          .where('pledges.id', '=', pledge.id)
          .$asTuple('network', 'network_user_id'),
      ),
    )
    .execute();
}

/** Sets whether a pledge's supporter is named on the public page (their choice, at any time); undefined when no such pledge. */
export function setPledgeShownPublicly(db: Db, pledgeId: string, shownPublicly: boolean): Promise<Pledge | undefined> {
  return db
    .updateTable('pledges')
    .set({ shown_publicly: shownPublicly, updated_at: new Date() })
    .where('id', '=', pledgeId)
    .returningAll()
    .executeTakeFirst();
}

/** Changes the text of an active pledge while its campaign is collecting; false when too late. */
export async function updatePledgeText(db: Db, pledgeId: string, text: string, variantIndex: number | null): Promise<Pledge | undefined> {
  return db
    .updateTable('pledges')
    .set({ text, variant_index: variantIndex, updated_at: new Date() })
    .where('id', '=', pledgeId)
    .where('state', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('campaigns')
          .whereRef('campaigns.id', '=', 'pledges.campaign_id')
          .where('campaigns.state', '=', 'collecting')
          .select(sql.lit(1).as('one')),
      ),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * Supporters with active pledges, largest reach or most recent first. The public lists name only the supporters
 * who chose to be named (served by the partial indexes pledges_public_top_supporters and
 * pledges_public_recent_supporters); the organiser's list has every supporter, each marked with that choice.
 */
export function listSupporters(
  db: Db,
  campaignId: string,
  order: 'largest-reach' | 'most-recent',
  limit: number,
  audience: 'public' | 'organiser',
) {
  let query = db
    .selectFrom('pledges')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select([
      'social_accounts.handle',
      'social_accounts.display_name as displayName',
      'social_accounts.network',
      'pledges.followers',
      'pledges.created_at as pledgedAt',
      'pledges.shown_publicly as shownPublicly',
    ])
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active');
  if (audience === 'public') query = query.where('pledges.shown_publicly', '=', true);
  return (
    query
      // Orders match the partial indexes pledges_(public_)top_supporters and pledges_(public_)recent_supporters.
      .orderBy(order === 'largest-reach' ? 'pledges.followers' : 'pledges.created_at', 'desc')
      .orderBy('pledges.id', order === 'largest-reach' ? 'asc' : 'desc')
      .limit(limit)
      .execute()
  );
}

/**
 * A campaign's supporters for its organiser, to find one who asked to be erased: active pledges, most recent first
 * (pledges_recent_supporters); or, with `handle`, every pledge whose handle contains it, withdrawn ones too.
 */
export function listCampaignSupporters(db: Db, campaignId: string, options: { handle?: string; limit: number }) {
  let query = db
    .selectFrom('pledges')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select([
      'pledges.id as pledgeId',
      'social_accounts.handle',
      'social_accounts.display_name as displayName',
      'social_accounts.network',
      'pledges.followers',
      'pledges.state',
      'pledges.shown_publicly as shownPublicly',
      'pledges.created_at as pledgedAt',
    ])
    .where('pledges.campaign_id', '=', campaignId);
  const handle = options.handle?.replace(/^@/, '');
  if (handle === undefined || handle === '') query = query.where('pledges.state', '=', 'active');
  else query = query.where('social_accounts.handle', 'ilike', `%${handle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query.orderBy('pledges.created_at', 'desc').orderBy('pledges.id', 'desc').limit(options.limit).execute();
}

/** Whether any supporter's active pledge would post to `network` (the campaign's own X post is made only for reposts to follow). */
export async function hasActivePledgeOn(db: Db, campaignId: string, network: NetworkId): Promise<boolean> {
  const found = await db
    .selectFrom('pledges')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select('pledges.id')
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active')
    .where('social_accounts.network', '=', network)
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** One page of a campaign's active pledges after `afterId`, in id order (a keyset cursor). */
export function pageActivePledgeIds(db: Db, campaignId: string, afterId: string | null, limit: number): Promise<string[]> {
  let query = db
    .selectFrom('pledges')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'active')
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute().then((rows) => rows.map((row) => row.id));
}
