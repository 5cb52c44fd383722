import { isCampaignEditable } from '../domain/campaign-state.ts';
import type { NetworkProfile } from '../networks/social-network.ts';
import { recordAuditEntry, type NewAuditEntry } from './audit-entry.repository.ts';
import type { CampaignAccount, Db } from './database.ts';
import type { SealedCredentials } from './pledge.repository.ts';

/**
 * Connects (or reconnects) the campaign's own X account, while the campaign has not started
 * launching; undefined when it has. A reconnection replaces the grant and the account. `audit` is recorded in
 * the same transaction (its changes gain the account's handle).
 */
export function saveCampaignAccount(
  db: Db,
  campaignId: string,
  profile: NetworkProfile,
  credentials: SealedCredentials,
  audit: NewAuditEntry,
): Promise<CampaignAccount | undefined> {
  return db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select('state').where('id', '=', campaignId).forNoKeyUpdate().executeTakeFirst();
    if (campaign === undefined || !isCampaignEditable(campaign.state)) return undefined;
    const values = {
      network: 'x' as const,
      network_user_id: profile.networkUserId,
      handle: profile.handle,
      key_id: credentials.keyId,
      access_token: credentials.accessToken,
      refresh_token: credentials.refreshToken,
      access_expires_at: credentials.accessExpiresAt,
      scopes: credentials.scopes,
    };
    const saved = await trx
      .insertInto('campaign_accounts')
      .values({ campaign_id: campaignId, ...values })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, { ...audit, changes: { ...audit.changes, handle: saved.handle } });
    return saved;
  });
}

/** The campaign's own account, if the organiser connected one. */
export function findCampaignAccount(
  db: Db,
  campaignId: string,
): Promise<Pick<CampaignAccount, 'handle' | 'post_state' | 'post_id' | 'post_failure'> | undefined> {
  return db
    .selectFrom('campaign_accounts')
    .select(['handle', 'post_state', 'post_id', 'post_failure'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
}

/** The campaign's own post as Postgres holds it; repost deliveries read this. */
export type StoredCampaignPost =
  | { readonly kind: 'sent'; readonly postId: string }
  | { readonly kind: 'failed'; readonly reason: string }
  /** Not made yet: the launch job makes it before it hands out any delivery. */
  | { readonly kind: 'not-made' };

/** The campaign's own post, or undefined when the organiser connected no account. */
export async function readCampaignPost(db: Db, campaignId: string): Promise<StoredCampaignPost | undefined> {
  const account = await db
    .selectFrom('campaign_accounts')
    .select(['post_state', 'post_id', 'post_failure'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return account === undefined ? undefined : storedPost(account);
}

function storedPost(account: Pick<CampaignAccount, 'post_state' | 'post_id' | 'post_failure'>): StoredCampaignPost {
  switch (account.post_state) {
    case 'sent':
      return { kind: 'sent', postId: account.post_id ?? '' };
    case 'failed':
      return { kind: 'failed', reason: account.post_failure ?? "the campaign's post failed" };
    case 'none':
      return { kind: 'not-made' };
  }
}

/** A claim on the campaign's post, taken before X is called; the claim's time is its token. */
export interface CampaignPostClaim {
  readonly claimedAt: Date;
  /** A claim before this one was left behind: its post may have gone out, so look before posting. */
  readonly mustCheck: boolean;
  readonly attempts: number;
  readonly account: CampaignAccount;
  readonly message: string;
  /** No campaign post can be older than this. */
  readonly launchStartedAt: Date;
}

/** The result of trying to claim the campaign's post. */
export type CampaignPostClaimResult =
  | { readonly kind: 'claimed'; readonly claim: CampaignPostClaim }
  | { readonly kind: 'decided'; readonly post: Exclude<StoredCampaignPost, { kind: 'not-made' }> }
  /** Another launch job holds the claim: come back at `until`. */
  | { readonly kind: 'busy'; readonly until: Date }
  | { readonly kind: 'no-account' };

/**
 * Claims the campaign's post under a lease, as a delivery is claimed: the row lock is held only
 * for this short transaction, never across the call to X.
 */
export function claimCampaignPost(db: Db, campaignId: string, leaseMs: number, now: Date): Promise<CampaignPostClaimResult> {
  return db.transaction().execute(async (trx): Promise<CampaignPostClaimResult> => {
    const account = await trx
      .selectFrom('campaign_accounts')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (account === undefined) return { kind: 'no-account' };
    const post = storedPost(account);
    switch (post.kind) {
      case 'sent':
      case 'failed':
        return { kind: 'decided', post };
      case 'not-made':
        break;
    }
    const previous = account.post_claimed_at;
    if (previous !== null && previous.getTime() + leaseMs > now.getTime())
      return { kind: 'busy', until: new Date(previous.getTime() + leaseMs) };
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['message', 'launch_started_at'])
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const attempts = account.post_attempts + 1;
    await trx
      .updateTable('campaign_accounts')
      .set({ post_claimed_at: now, post_attempts: attempts, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .execute();
    return {
      kind: 'claimed',
      claim: {
        claimedAt: now,
        mustCheck: previous !== null,
        attempts,
        account,
        message: campaign.message,
        launchStartedAt: campaign.launch_started_at ?? now,
      },
    };
  });
}

/** Stores the campaign account's renewed grant while the claim still holds the post. */
export async function storeCampaignAccountGrant(
  db: Db,
  campaignId: string,
  claimedAt: Date,
  credentials: SealedCredentials,
): Promise<void> {
  await db
    .updateTable('campaign_accounts')
    .set({
      key_id: credentials.keyId,
      access_token: credentials.accessToken,
      refresh_token: credentials.refreshToken,
      access_expires_at: credentials.accessExpiresAt,
      updated_at: new Date(),
    })
    .where('campaign_id', '=', campaignId)
    .where('post_claimed_at', '=', claimedAt)
    .execute();
}

/**
 * Records the campaign's post as decided, by the claim that made it only, and erases the grant
 * with it, as a supporter's is. False when the claim no longer held the post.
 */
export async function recordCampaignPost(
  db: Db,
  campaignId: string,
  claimedAt: Date,
  post: Exclude<StoredCampaignPost, { kind: 'not-made' }>,
): Promise<boolean> {
  const decided =
    post.kind === 'sent'
      ? { post_state: 'sent' as const, post_id: post.postId, post_failure: null }
      : { post_state: 'failed' as const, post_id: null, post_failure: post.reason };
  const result = await db
    .updateTable('campaign_accounts')
    .set({
      ...decided,
      post_claimed_at: null,
      key_id: null,
      access_token: null,
      refresh_token: null,
      access_expires_at: null,
      updated_at: new Date(),
    })
    .where('campaign_id', '=', campaignId)
    .where('post_claimed_at', '=', claimedAt)
    .where('post_state', '=', 'none')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives the claim back when X said no post was made (a rate limit, a time-out before sending): the next claim need not look first. */
export async function releaseCampaignPostClaim(db: Db, campaignId: string, claimedAt: Date): Promise<void> {
  await db
    .updateTable('campaign_accounts')
    .set({ post_claimed_at: null, updated_at: new Date() })
    .where('campaign_id', '=', campaignId)
    .where('post_claimed_at', '=', claimedAt)
    .execute();
}
