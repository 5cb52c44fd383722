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
