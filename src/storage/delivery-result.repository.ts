import type { Db } from './database.ts';

/** One supporter's delivery as the organiser's results table shows it. */
export function listDeliveryResults(db: Db, campaignId: string, limit: number, offsetAfterId: string | null = null) {
  let query = db
    .selectFrom('deliveries')
    .innerJoin('pledges', 'pledges.id', 'deliveries.pledge_id')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select([
      'deliveries.id',
      'social_accounts.handle',
      'social_accounts.network',
      'social_accounts.server',
      'pledges.followers',
      'deliveries.state',
      'deliveries.network_post_id as postId',
      'deliveries.failure_reason as failureReason',
      'deliveries.sent_at as sentAt',
    ])
    .where('deliveries.campaign_id', '=', campaignId)
    .orderBy('deliveries.id')
    .limit(limit);
  if (offsetAfterId !== null) query = query.where('deliveries.id', '>', offsetAfterId);
  return query.execute();
}

export type DeliveryResult = Awaited<ReturnType<typeof listDeliveryResults>>[number];

/**
 * Posts that went out from supporters who chose to be named on the public page, largest reach first: a post
 * links its author, so a supporter who did not choose to be named is never linked from the campaign page.
 */
export function listPublicSentPosts(db: Db, campaignId: string, limit: number) {
  // Walks pledges_public_top_supporters in order and stops after `limit` sent posts.
  return db
    .selectFrom('pledges')
    .innerJoin('deliveries', 'deliveries.pledge_id', 'pledges.id')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select([
      'social_accounts.handle',
      'social_accounts.display_name as displayName',
      'social_accounts.network',
      'social_accounts.server',
      'deliveries.network_post_id as postId',
    ])
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active')
    .where('pledges.shown_publicly', '=', true)
    .where('deliveries.state', '=', 'sent')
    .where('deliveries.network_post_id', 'is not', null)
    .orderBy('pledges.followers', 'desc')
    .orderBy('pledges.id', 'asc')
    .limit(limit)
    .execute();
}

/** One pledge's delivery as its supporter sees it; undefined before the launch made one. */
export function findPledgeDelivery(db: Db, pledgeId: string) {
  return db
    .selectFrom('deliveries')
    .select(['state', 'network_post_id as postId', 'failure_reason as failureReason', 'sent_at as sentAt'])
    .where('pledge_id', '=', pledgeId)
    .executeTakeFirst();
}
