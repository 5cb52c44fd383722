import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { PublishContext, SocialNetwork } from '../networks/social-network.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import type { Db } from '../storage/database.ts';
import type { ClaimedDelivery } from '../storage/delivery.repository.ts';
import { ensureCampaignPost } from './campaign-post.ts';

/**
 * Makes a claimed delivery's one post: the pledge's text, or, for an X supporter of a
 * campaign in repost mode, a repost of the campaign's own post (made first if it is not yet).
 */
export async function publishDelivery(
  ctx: { readonly db: Db; readonly cipher: TokenCipher },
  network: SocialNetwork,
  accessToken: string,
  delivery: ClaimedDelivery,
): Promise<PublishOutcome> {
  const context: PublishContext = {
    // The same on every attempt of this delivery, and different from any other post.
    idempotencyKey: `chorus-delivery-${delivery.id}`,
    account: { networkUserId: delivery.networkUserId, server: delivery.server },
  };
  if (delivery.network !== 'x' || network.repost === undefined) return network.publish(accessToken, delivery.text, context);
  switch (delivery.xMode) {
    case 'post':
      return network.publish(accessToken, delivery.text, context);
    case 'repost': {
      const original = await ensureCampaignPost(ctx, delivery.campaignId, network);
      switch (original.kind) {
        case 'sent':
          return network.repost(accessToken, original.postId, context);
        case 'failed':
        case 'unknown-outcome':
        case 'already-posted':
          return { kind: 'failed', reason: `nothing to repost: the campaign's own post was not made (${original.reason})` };
        case 'retry-after':
        case 'retry-with-backoff':
          return original;
      }
    }
  }
}
