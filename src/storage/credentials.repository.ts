import type { Db, PledgeCredentials } from './database.ts';
import type { SealedCredentials } from './pledge.repository.ts';

/** The sealed grant held for a pledge, if it still exists. */
export function findCredentials(db: Db, pledgeId: string): Promise<PledgeCredentials | undefined> {
  return db.selectFrom('pledge_credentials').selectAll().where('pledge_id', '=', pledgeId).executeTakeFirst();
}

/**
 * Runs `renew` with the pledge's grant locked, re-read after the lock is taken, and stores
 * what it returns in the same transaction. One refresh is in flight per pledge: a second
 * caller waits, then sees the rotated grant and usually has nothing to do.
 */
export function renewCredentialsLocked<T>(
  db: Db,
  pledgeId: string,
  renew: (current: PledgeCredentials) => Promise<{ store: SealedCredentials | null; result: T }>,
): Promise<T | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('pledge_credentials').selectAll().where('pledge_id', '=', pledgeId).forUpdate().executeTakeFirst();
    if (current === undefined) return undefined;
    const { store, result } = await renew(current);
    if (store !== null) {
      await trx
        .updateTable('pledge_credentials')
        .set({
          key_id: store.keyId,
          access_token: store.accessToken,
          // Never overwrite a held refresh token with an empty one.
          refresh_token: store.refreshToken ?? current.refresh_token,
          access_expires_at: store.accessExpiresAt,
          scopes: store.scopes,
          updated_at: new Date(),
        })
        .where('pledge_id', '=', pledgeId)
        .execute();
    }
    return result;
  });
}

/** Erases the grants of these pledges: the one-time post is done, or will never happen. */
export async function eraseCredentials(db: Db, pledgeIds: readonly string[]): Promise<void> {
  if (pledgeIds.length === 0) return;
  await db.deleteFrom('pledge_credentials').where('pledge_id', 'in', pledgeIds).execute();
}

/** Erases every grant held for a campaign's pledges (it missed its goal or was cancelled), and its own account's. */
export async function eraseCampaignCredentials(db: Db, campaignId: string): Promise<void> {
  await db
    .updateTable('campaign_accounts')
    .set({ key_id: null, access_token: null, refresh_token: null, access_expires_at: null, updated_at: new Date() })
    .where('campaign_id', '=', campaignId)
    .execute();
  await db
    .deleteFrom('pledge_credentials')
    .where('pledge_id', 'in', (eb) => eb.selectFrom('pledges').select('id').where('campaign_id', '=', campaignId))
    .execute();
}

/**
 * One page of a campaign's active pledges whose access expires before `freshAt`, after
 * `afterPledgeId` in id order (a keyset cursor), with the network each belongs to.
 */
export function pageCredentialsExpiringBefore(db: Db, campaignId: string, freshAt: Date, afterPledgeId: string | null, limit: number) {
  let query = db
    .selectFrom('pledge_credentials')
    .innerJoin('pledges', 'pledges.id', 'pledge_credentials.pledge_id')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select(['pledges.id as pledgeId', 'social_accounts.network'])
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active')
    .where('pledge_credentials.access_expires_at', '<', freshAt)
    .orderBy('pledges.id')
    .limit(limit);
  if (afterPledgeId !== null) query = query.where('pledges.id', '>', afterPledgeId);
  return query.execute();
}
