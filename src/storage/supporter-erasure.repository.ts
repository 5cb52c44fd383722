import { sql, type Transaction } from 'kysely';
import type { NetworkId } from '../networks/network-id.ts';
import { writeWebhookEvents } from './webhook-outbox.ts';
import { recordAuditEntry, type NewAuditEntry } from './audit-entry.repository.ts';
import type { Database, Db } from './database.ts';

// Erasing supporters' personal data: their pledges (text, follower count, manage-token hash), with the grants and
// deliveries (post ids, failure reasons) that hang off them, the pending pledges they left unconfirmed, and their
// social account rows (handle, name, follower count) once no campaign's pledge needs them. What stays is anonymous:
// the tallies (supporters, reach, per network, per minute, delivery outcomes). Pledges have no delete trigger, and
// the deliveries' delete trigger leaves an ended campaign's counts alone (migration 0014), so erasing after the end
// changes no total.

/** Ended campaigns whose supporters' data is still kept although they ended before `endedBefore`, longest ended first. */
export function listCampaignsDueForErasure(db: Db, endedBefore: Date, limit: number): Promise<{ id: string }[]> {
  // Served by campaigns_awaiting_erasure_idx.
  return db
    .selectFrom('campaigns')
    .select('id')
    .where('ended_at', 'is not', null)
    .where('supporters_erased_at', 'is', null)
    .where('ended_at', '<', endedBefore)
    .orderBy('ended_at')
    .limit(limit)
    .execute();
}

/** What one erasure statement removed. */
export interface ErasedRows {
  readonly pledges: number;
  readonly accounts: number;
}

/**
 * Erases up to `limit` of an ended campaign's active pledges (by the release page index, id order), then, when
 * none is left, every other pledge it has (withdrawn ones: no index covers them, so one pass reads the table),
 * with the account rows no other pledge needs. One transaction per call, so a long erasure holds no lock for
 * long; 0 pledges means the campaign has none left.
 */
export function eraseCampaignPledges(db: Db, campaignId: string, limit: number): Promise<ErasedRows> {
  return db.transaction().execute(async (trx) => {
    let gone = await trx
      .deleteFrom('pledges')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('pledges')
          .select('id')
          .where('campaign_id', '=', campaignId)
          .where('state', '=', 'active')
          .orderBy('id')
          .limit(limit),
      )
      .returning('social_account_id')
      .execute();
    if (gone.length === 0)
      gone = await trx.deleteFrom('pledges').where('campaign_id', '=', campaignId).returning('social_account_id').execute();
    const accounts = await deleteUnneededAccounts(
      trx,
      gone.map((row) => row.social_account_id),
    );
    return { pledges: gone.length, accounts };
  });
}

/** Records that an ended campaign's supporters' data is erased, and drops any pending pledge left for it. */
export async function finishCampaignErasure(db: Db, campaignId: string, now: Date): Promise<{ pendingPledges: number }> {
  return db.transaction().execute(async (trx) => {
    const pending = await trx.deleteFrom('pending_pledges').where('campaign_id', '=', campaignId).executeTakeFirst();
    await trx.updateTable('campaigns').set({ supporters_erased_at: now }).where('id', '=', campaignId).execute();
    return { pendingPledges: Number(pending.numDeletedRows) };
  });
}

/** One supporter erased from a campaign at the organiser's request. */
export type SupporterErasure =
  | {
      readonly kind: 'erased';
      readonly handle: string;
      readonly network: NetworkId;
      /** True when the campaign was collecting and the supporter's active pledge was withdrawn first. */
      readonly withdrawn: boolean;
    }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'launching' };

/**
 * Erases one supporter (the account behind `pledgeId`) from a campaign: while the campaign collects, their active
 * pledge is withdrawn first (its grant erased, the campaign's numbers drop, as if they had withdrawn themselves);
 * after the end, the totals stay. Every pledge the account made to the campaign goes, with its grants and
 * deliveries, and its unconfirmed pending pledges; the account row goes too when no other campaign needs it.
 * Refused while the campaign is launching: a post may be on its way, and the launch finishes within minutes.
 * `audit` is recorded in the same transaction when the supporter is erased.
 */
export function eraseSupporterFromCampaign(db: Db, campaignId: string, pledgeId: string, audit: NewAuditEntry): Promise<SupporterErasure> {
  return db.transaction().execute(async (trx): Promise<SupporterErasure> => {
    // A share lock: pledges share it, and the launch's row lock waits until this is done.
    const campaign = await trx.selectFrom('campaigns').select('state').where('id', '=', campaignId).forShare().executeTakeFirst();
    const account = await trx
      .selectFrom('pledges')
      .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
      .select(['social_accounts.id', 'social_accounts.handle', 'social_accounts.network', 'social_accounts.network_user_id'])
      .where('pledges.id', '=', pledgeId)
      .where('pledges.campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (campaign === undefined || account === undefined) return { kind: 'not-found' };
    if (campaign.state === 'launching') return { kind: 'launching' };
    let withdrawn = false;
    if (campaign.state === 'collecting') {
      const rows = await trx
        .updateTable('pledges')
        .set({ state: 'withdrawn', withdrawn_at: new Date(), updated_at: new Date() })
        .where('campaign_id', '=', campaignId)
        .where('social_account_id', '=', account.id)
        .where('state', '=', 'active')
        .returning('id')
        .execute();
      withdrawn = rows.length > 0;
      // The organiser's tools hear of it as of any withdrawal (ids only: nothing that names who asked to be erased).
      if (withdrawn)
        await writeWebhookEvents(
          trx,
          sql`select c.organisation_id, c.id as campaign_id, 'pledge.withdrawn'::text as type, 'pledge.withdrawn:' || p.id as dedupe_key,
                     jsonb_build_object('campaignId', c.id, 'pledgeId', p.id, 'network', ${account.network}::text, 'withdrawnAt', now()) as payload
              from unnest(${rows.map((row) => row.id)}::uuid[]) as p(id) cross join campaigns c where c.id = ${campaignId}::uuid`,
        );
    }
    await trx.deleteFrom('pledges').where('campaign_id', '=', campaignId).where('social_account_id', '=', account.id).execute();
    await trx
      .deleteFrom('pending_pledges')
      .where('campaign_id', '=', campaignId)
      .where('network', '=', account.network)
      .where('network_user_id', '=', account.network_user_id)
      .execute();
    await deleteUnneededAccounts(trx, [account.id]);
    await recordAuditEntry(trx, { ...audit, changes: { ...audit.changes, withdrawn } });
    return { kind: 'erased', handle: account.handle, network: account.network, withdrawn };
  });
}

/**
 * Deletes the accounts among `ids` that no pledge refers to any more; answers how many. The rows are locked first:
 * a pledge being recorded for one of them at the same moment (another campaign) waits, and is then seen here.
 */
export async function deleteUnneededAccounts(trx: Transaction<Database>, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return 0;
  await trx.selectFrom('social_accounts').select('id').where('id', 'in', unique).orderBy('id').forUpdate().execute();
  const result = await trx
    .deleteFrom('social_accounts')
    .where('id', 'in', unique)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('pledges').select(sql.lit(1).as('one')).whereRef('pledges.social_account_id', '=', 'social_accounts.id')),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
