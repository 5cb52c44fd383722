import type { Queue } from 'bullmq';
import type { Config } from '../../../config/config.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { storableNetworkReason } from '../../domain/network-text.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import type { MailJobData } from '../../jobs/queues.ts';
import type { NetworkRegistry } from '../../networks/network-registry.ts';
import type { Db } from '../../storage/database.ts';
import { failPledgeBeforeDelivery } from '../../storage/delivery.repository.ts';
import { eraseRefusedGrant } from '../../storage/supporter-mail-events.repository.ts';
import { renewGrantUrl } from './supporter-mail-links.ts';

/** What holding a refused grant for renewal needs. */
export interface RefusedGrantContext {
  readonly db: Db;
  readonly networks: Pick<NetworkRegistry, 'outline'>;
  readonly queues: { readonly mail: Queue<MailJobData> };
  readonly config: Pick<Config, 'PUBLIC_URL' | 'SMTP_URL'>;
}

/** What became of a pledge whose grant the network refused to refresh. */
export type RefusedGrantOutcome =
  /** Before the launch: the grant is erased and the supporter (if they confirmed an address) asked to authorise again. */
  | { readonly kind: 'awaiting-renewal' }
  /** The launch had begun: the pledge failed with the network's reason, as a refusal at delivery does. */
  | { readonly kind: 'failed' };

/**
 * Handles a refresh ahead of the launch that the network refused (the supporter revoked access): while the campaign
 * collects, the grant is erased, no delivery is failed, and a supporter with a confirmed address gets
 * `supporter-refresh-failed` with the link that renews the grant and keeps their wording (the reminder's link), in the
 * same transaction. Renewing before the launch stores a new grant, and the post goes out at the launch; without one,
 * the delivery fails then, as for any erased grant.
 */
export async function holdRefusedGrantForRenewal(
  ctx: RefusedGrantContext,
  campaignId: string,
  pledgeId: string,
  reason: string,
): Promise<RefusedGrantOutcome> {
  const base = withTrailingSlash(ctx.config.PUBLIC_URL);
  const outboxIds = await eraseRefusedGrant(
    ctx.db,
    campaignId,
    pledgeId,
    // The column holds 500 characters; a slice could have cut an emoji in half.
    storableNetworkReason(reason, 500),
    ctx.config.SMTP_URL === undefined
      ? null
      : (target) => ({
          kind: 'supporter-refresh-failed',
          recipient: target.address,
          dedupeKey: `supporter-refresh-failed:${target.pledgeId}`,
          campaignId: target.campaignId,
          pledgeId: target.pledgeId,
          templateData: {
            campaignTitle: target.campaignTitle,
            campaignUrl: new URL(`c/${target.campaignSlug}`, base).toString(),
            network: ctx.networks.outline(target.network)?.displayName ?? target.network,
            launchAt: formatLaunchTime(target.launchAt, target.timeZone),
            renewUrl: renewGrantUrl(ctx.config.PUBLIC_URL, ctx.networks, target),
          },
        }),
  );
  if (outboxIds === undefined) {
    await failPledgeBeforeDelivery(ctx.db, campaignId, pledgeId, storableNetworkReason(reason));
    return { kind: 'failed' };
  }
  await enqueueMails(ctx.queues.mail, outboxIds);
  return { kind: 'awaiting-renewal' };
}
