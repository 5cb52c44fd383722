import { isCampaignEditable } from '../domain/campaign-state.ts';
import type { NetworkProfile } from '../networks/social-network.ts';
import type { CampaignAccount, Db } from './database.ts';
import type { SealedCredentials } from './pledge.repository.ts';

/**
 * Connects (or reconnects) the campaign's own X account, while the campaign has not started
 * launching; undefined when it has. A reconnection replaces the grant and the account.
 */
export function saveCampaignAccount(
  db: Db,
  campaignId: string,
  profile: NetworkProfile,
  credentials: SealedCredentials,
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
    return trx
      .insertInto('campaign_accounts')
      .values({ campaign_id: campaignId, ...values })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
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
