import { sql } from 'kysely';
import type { NetworkProfile } from '../networks/social-network.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Transaction } from 'kysely';
import type { Database, Db, Pledge } from './database.ts';
import { campaignTotals } from './campaign.repository.ts';
import { isUniqueViolation } from './organiser.repository.ts';

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
}

export type RecordPledgeResult =
  | { readonly kind: 'created'; readonly pledge: Pledge }
  | { readonly kind: 'updated'; readonly pledge: Pledge }
  | { readonly kind: 'not-collecting' };

/**
 * Records a supporter's pledge, or updates their active one, with their grant in one
 * transaction; the tally trigger adds it to the campaign's numbers. The transaction first takes
 * a share lock on the campaign row while it collects: pledges share it with each other, but the
 * launch's row lock waits for them, so a pledge either commits before the goal check or is refused.
 */
export async function recordPledge(db: Db, input: PledgeInput): Promise<RecordPledgeResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => writePledge(trx, input));
    } catch (error) {
      if (error instanceof CampaignNotCollecting) return { kind: 'not-collecting' };
      // The same account finishing two consents at once: the second sees the first's pledge on retry.
      if (attempt === 1 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

class CampaignNotCollecting extends Error {}

/**
 * Takes a share lock on the campaign row while the campaign collects (and, for a new pledge,
 * before its launch time), or throws CampaignNotCollecting. Share locks do not wait for each other;
 * the launch's FOR UPDATE waits for every holder, and a pledge arriving after it re-reads the row.
 */
async function holdCollectingCampaign(trx: Transaction<Database>, campaignId: string, options: { beforeLaunch: boolean }): Promise<void> {
  const campaign = await trx
    .selectFrom('campaigns')
    .select('id')
    .where('id', '=', campaignId)
    .where('state', '=', 'collecting')
    .$if(options.beforeLaunch, (qb) => qb.where('launch_at', '>', new Date()))
    .forShare()
    .executeTakeFirst();
  if (campaign === undefined) throw new CampaignNotCollecting();
}

async function writePledge(trx: Transaction<Database>, input: PledgeInput): Promise<RecordPledgeResult> {
  await holdCollectingCampaign(trx, input.campaignId, { beforeLaunch: true });
  const account = await trx
    .insertInto('social_accounts')
    .values({
      network: input.network,
      network_user_id: input.profile.networkUserId,
      handle: input.profile.handle,
      display_name: input.profile.displayName,
      followers: input.profile.followers,
      server: input.profile.server ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['network', 'network_user_id']).doUpdateSet((eb) => ({
        server: eb.ref('excluded.server'),
        handle: eb.ref('excluded.handle'),
        display_name: eb.ref('excluded.display_name'),
        followers: eb.ref('excluded.followers'),
        updated_at: new Date(),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();

  const existing = await trx
    .selectFrom('pledges')
    .select(['id', 'followers'])
    .where('campaign_id', '=', input.campaignId)
    .where('social_account_id', '=', account.id)
    .where('state', '=', 'active')
    .executeTakeFirst();

  const pledge =
    existing === undefined
      ? await trx
          .insertInto('pledges')
          .values({
            campaign_id: input.campaignId,
            social_account_id: account.id,
            text: input.text,
            variant_index: input.variantIndex,
            followers: input.profile.followers,
            manage_token_hash: input.manageTokenHash,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .updateTable('pledges')
          .set({
            text: input.text,
            variant_index: input.variantIndex,
            followers: input.profile.followers,
            manage_token_hash: input.manageTokenHash,
            updated_at: new Date(),
          })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();

  const c = input.credentials;
  await trx
    .insertInto('pledge_credentials')
    .values({
      pledge_id: pledge.id,
      key_id: c.keyId,
      access_token: c.accessToken,
      refresh_token: c.refreshToken,
      access_expires_at: c.accessExpiresAt,
      scopes: c.scopes,
    })
    .onConflict((oc) =>
      oc.column('pledge_id').doUpdateSet((eb) => ({
        key_id: eb.ref('excluded.key_id'),
        access_token: eb.ref('excluded.access_token'),
        // A new grant without a refresh token must not wipe the one already held.
        refresh_token: sql<Buffer | null>`coalesce(excluded.refresh_token, pledge_credentials.refresh_token)`,
        access_expires_at: eb.ref('excluded.access_expires_at'),
        scopes: eb.ref('excluded.scopes'),
        updated_at: new Date(),
      })),
    )
    .execute();

  return existing === undefined ? { kind: 'created', pledge } : { kind: 'updated', pledge };
}

/** The pledge a supporter's private link points at, with its campaign and account. */
export async function findPledgeByManageToken(db: Db, pledgeId: string, manageTokenHash: string) {
  const pledge = await db
    .selectFrom('pledges')
    .selectAll()
    .where('id', '=', pledgeId)
    .where('manage_token_hash', '=', manageTokenHash)
    .executeTakeFirst();
  if (pledge === undefined) return undefined;
  const [campaign, account] = await Promise.all([
    db.selectFrom('campaigns').selectAll().select(campaignTotals).where('id', '=', pledge.campaign_id).executeTakeFirstOrThrow(),
    db.selectFrom('social_accounts').selectAll().where('id', '=', pledge.social_account_id).executeTakeFirstOrThrow(),
  ]);
  return { pledge, campaign, account };
}

export type WithdrawResult = 'withdrawn' | 'already-withdrawn' | 'too-late';

/** Withdraws a pledge before launch: its access is erased and the campaign's numbers drop with it. */
export async function withdrawPledge(db: Db, pledge: Pick<Pledge, 'id' | 'campaign_id'>): Promise<WithdrawResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      // Launched (or launching) already: the pledge stands.
      await holdCollectingCampaign(trx, pledge.campaign_id, { beforeLaunch: false });
      const withdrawn = await trx
        .updateTable('pledges')
        .set({ state: 'withdrawn', withdrawn_at: new Date(), updated_at: new Date() })
        .where('id', '=', pledge.id)
        .where('state', '=', 'active')
        .returning(['id'])
        .executeTakeFirst();
      if (withdrawn === undefined) return 'already-withdrawn' as const;
      await trx.deleteFrom('pledge_credentials').where('pledge_id', '=', pledge.id).execute();
      return 'withdrawn' as const;
    });
  } catch (error) {
    if (error instanceof CampaignNotCollecting) return 'too-late';
    throw error;
  }
}

/** Changes the text of an active pledge while its campaign is collecting; false when too late. */
export async function updatePledgeText(db: Db, pledgeId: string, text: string, variantIndex: number | null): Promise<Pledge | undefined> {
  return db
    .updateTable('pledges')
    .set({ text, variant_index: variantIndex, updated_at: new Date() })
    .where('id', '=', pledgeId)
    .where('state', '=', 'active')
    .where((eb) => eb.exists(eb.selectFrom('campaigns').whereRef('campaigns.id', '=', 'pledges.campaign_id').where('campaigns.state', '=', 'collecting').select(sql.lit(1).as('one'))))
    .returningAll()
    .executeTakeFirst();
}

/** Supporters as the public page lists them: handle, network and reach. */
export function listSupporters(db: Db, campaignId: string, order: 'largest-reach' | 'most-recent', limit: number) {
  return db
    .selectFrom('pledges')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select(['social_accounts.handle', 'social_accounts.display_name as displayName', 'social_accounts.network', 'pledges.followers', 'pledges.created_at as pledgedAt'])
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active')
    // Orders match the partial indexes pledges_top_supporters and pledges_recent_supporters.
    .orderBy(order === 'largest-reach' ? 'pledges.followers' : 'pledges.created_at', 'desc')
    .orderBy('pledges.id', order === 'largest-reach' ? 'asc' : 'desc')
    .limit(limit)
    .execute();
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
