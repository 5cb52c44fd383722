import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { SocialNetwork, TokenSet } from '../networks/social-network.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { CampaignAccount, Db } from '../storage/database.ts';

// Refresh a little before expiry, as for supporters' grants.
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/**
 * Makes the campaign's own post once (X repost mode) and returns it. Every X delivery of the
 * campaign calls this; the first takes the campaign account's row lock and posts, the others
 * wait on the lock and then read the post it recorded. The grant is erased once the post is
 * decided, as a supporter's is.
 */
export function ensureCampaignPost(
  ctx: { readonly db: Db; readonly cipher: TokenCipher },
  campaignId: string,
  network: SocialNetwork,
): Promise<PublishOutcome> {
  return ctx.db.transaction().execute(async (trx): Promise<PublishOutcome> => {
    const account = await trx
      .selectFrom('campaign_accounts')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (account === undefined) return { kind: 'failed', reason: 'the organiser connected no X account for the campaign' };
    switch (account.post_state) {
      case 'sent':
        return { kind: 'sent', postId: account.post_id ?? '' };
      case 'failed':
        return { kind: 'failed', reason: account.post_failure ?? "the campaign's post failed" };
      case 'none':
        break;
    }
    const tokens = openTokens(ctx.cipher, account);
    if (tokens === undefined) return { kind: 'failed', reason: "the campaign account's access was erased" };

    let accessToken = tokens.accessToken;
    if (tokens.expiresAt.getTime() - EXPIRY_MARGIN_MS <= Date.now()) {
      const renewed = await network.refresh(tokens);
      switch (renewed.kind) {
        case 'revoked':
          await decide({ post_state: 'failed', post_failure: renewed.reason });
          return { kind: 'failed', reason: renewed.reason };
        case 'retry-with-backoff':
          return renewed;
        case 'refreshed':
          accessToken = renewed.tokens.accessToken;
          await trx
            .updateTable('campaign_accounts')
            .set({
              key_id: ctx.cipher.keyId,
              access_token: ctx.cipher.encrypt(renewed.tokens.accessToken),
              refresh_token: renewed.tokens.refreshToken === null ? account.refresh_token : ctx.cipher.encrypt(renewed.tokens.refreshToken),
              access_expires_at: renewed.tokens.expiresAt,
              updated_at: new Date(),
            })
            .where('campaign_id', '=', campaignId)
            .execute();
      }
    }

    const campaign = await trx.selectFrom('campaigns').select('message').where('id', '=', campaignId).executeTakeFirstOrThrow();
    const outcome = await network.publish(accessToken, campaign.message, {
      idempotencyKey: `chorus-campaign-${campaignId}`,
      account: { networkUserId: account.network_user_id, server: null },
    });
    switch (outcome.kind) {
      case 'sent':
        await decide({ post_state: 'sent', post_id: outcome.postId });
        return outcome;
      case 'failed':
        await decide({ post_state: 'failed', post_failure: outcome.reason });
        return outcome;
      case 'unknown-outcome':
        // Posting again could make two: the reposts are given up rather than risk it.
        await decide({ post_state: 'failed', post_failure: `it is not known whether the post was made (${outcome.reason})` });
        return outcome;
      case 'already-posted':
        // Unknown outcomes are never retried here, so this is a post the account made itself.
        await decide({
          post_state: 'failed',
          post_failure: `X refused it as a post this account already made (${outcome.reason}); the campaign needs a new wording`,
        });
        return { kind: 'failed', reason: outcome.reason };
      case 'retry-after':
      case 'retry-with-backoff':
        return outcome;
    }

    async function decide(result: { post_state: 'sent' | 'failed'; post_id?: string; post_failure?: string }): Promise<void> {
      await trx
        .updateTable('campaign_accounts')
        .set({ ...result, key_id: null, access_token: null, refresh_token: null, access_expires_at: null, updated_at: new Date() })
        .where('campaign_id', '=', campaignId)
        .execute();
    }
  });
}

function openTokens(cipher: TokenCipher, account: CampaignAccount): TokenSet | undefined {
  if (account.key_id === null || account.access_token === null || account.access_expires_at === null) return undefined;
  return {
    accessToken: cipher.decrypt(account.key_id, account.access_token),
    refreshToken: account.refresh_token === null ? null : cipher.decrypt(account.key_id, account.refresh_token),
    expiresAt: account.access_expires_at,
    scopes: account.scopes ?? '',
  };
}
