import type { PublishOutcome } from '../networks/publish-outcome.ts';
import type { PublishContext, SocialNetwork } from '../networks/social-network.ts';
import type { ClaimedDelivery } from '../storage/delivery.repository.ts';
import type { CampaignPostReader } from './campaign-post-reader.ts';

/**
 * Makes a claimed delivery's one post: the pledge's text, or, for an X supporter of a campaign
 * in repost mode, a repost of the campaign's own post, which the launch job made before it
 * handed out any delivery.
 */
export async function publishDelivery(
  campaignPosts: CampaignPostReader,
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
      const original = await campaignPosts(delivery.campaignId);
      switch (original?.kind) {
        case undefined:
          return {
            kind: 'failed',
            reason: "nothing to repost: the campaign's own post was not made (the organiser connected no X account for the campaign)",
          };
        case 'sent':
          return network.repost(accessToken, original.postId, context);
        case 'failed':
          return { kind: 'failed', reason: `nothing to repost: the campaign's own post was not made (${original.reason})` };
        case 'not-made':
          // Only a delivery handed out before the launch job's post step could see this; it comes back for the post.
          return { kind: 'retry-with-backoff', reason: "the campaign's own post is not made yet" };
      }
    }
  }
}
