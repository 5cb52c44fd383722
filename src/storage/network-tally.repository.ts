import { sql } from 'kysely';
import type { DeliveryState } from '../domain/delivery-state.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db } from './database.ts';

/** Supporters and reach per network, summed over the stripes the pledges' tally trigger keeps (migrations 0005, 0007). */
export function listNetworkTallies(db: Db, campaignId: string): Promise<{ network: NetworkId; supporters: number; reach: number }[]> {
  return db
    .selectFrom('campaign_network_tallies')
    .select(['network', sql<number>`sum(supporters)::int`.as('supporters'), sql<number>`sum(reach)::int8`.as('reach')])
    .where('campaign_id', '=', campaignId)
    .groupBy('network')
    .having(sql<number>`sum(supporters)`, '>', 0)
    .orderBy('network')
    .execute();
}

/** Delivery states per network, for the organiser's results, summed from the deliveries' tallies (migration 0008). */
export function countDeliveriesByNetwork(db: Db, campaignId: string) {
  const inState = (states: DeliveryState[]) => sql<number>`coalesce(sum(deliveries) filter (where state in (${sql.join(states)})), 0)::int`;
  return db
    .selectFrom('campaign_delivery_tallies')
    .select([
      'network',
      inState(['sent']).as('sent'),
      inState(['failed']).as('failed'),
      inState(['unknown']).as('unknown'),
      inState(['queued', 'claimed']).as('pending'),
      inState(['held']).as('held'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy('network')
    .having(sql<number>`sum(deliveries)`, '>', 0)
    .orderBy('network')
    .execute();
}

/**
 * Active pledges per network whose grant cannot be renewed and runs out before the launch
 * (LinkedIn's 60-day tokens): they will fail unless the supporter authorises again.
 */
export function countAccessExpiringBeforeLaunch(db: Db, campaignId: string) {
  return db
    .selectFrom('pledge_credentials')
    .innerJoin('pledges', 'pledges.id', 'pledge_credentials.pledge_id')
    .innerJoin('campaigns', 'campaigns.id', 'pledges.campaign_id')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .select((eb) => ['social_accounts.network', eb.fn.countAll<number>().as('pledges')])
    .where('pledges.campaign_id', '=', campaignId)
    .where('pledges.state', '=', 'active')
    .where('pledge_credentials.refresh_token', 'is', null)
    .whereRef('pledge_credentials.access_expires_at', '<', 'campaigns.launch_at')
    .groupBy('social_accounts.network')
    .orderBy('social_accounts.network')
    .execute();
}
