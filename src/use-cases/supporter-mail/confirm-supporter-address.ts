import type { ChorusContext } from '../../chorus-context.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { confirmSupporterAddress } from '../../storage/supporter-mail-address.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { readSupporterMailLink } from './read-supporter-mail-link.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** What confirming did: `confirmed` now, `already` confirmed before (a second click), or `gone` (deleted meanwhile). */
export type AddressConfirmation =
  | { readonly kind: 'confirmed'; readonly campaignSlug: string; readonly campaignTitle: string }
  | { readonly kind: 'already'; readonly campaignSlug: string; readonly campaignTitle: string }
  | { readonly kind: 'gone' };

/**
 * Confirms a supporter's address from the link in the mail that asked (double opt-in), and writes, in the same
 * transaction, the confirmation of their pledge: the manage link and the launch in a calendar file.
 */
export async function confirmSupporterAddressFromLink(
  ctx: ChorusContext,
  addressId: string,
  token: string,
  now: Date = new Date(),
): Promise<Outcome<AddressConfirmation>> {
  const link = await readSupporterMailLink(ctx, 'confirm', addressId, token);
  if (link.kind !== 'done') return link;
  if (link.value.kind === 'gone') return done({ kind: 'gone' });
  const found = link.value.address;
  const base = withTrailingSlash(ctx.config.PUBLIC_URL);
  const outboxIds = await confirmSupporterAddress(ctx.db, addressId, now, (row) => ({
    kind: 'supporter-pledge-confirmed',
    recipient: row.address,
    dedupeKey: `supporter-pledge-confirmed:${row.id}`,
    campaignId: row.campaign_id,
    pledgeId: row.pledge_id,
    templateData: {
      campaignId: row.campaign_id,
      campaignSlug: found.campaign_slug,
      campaignTitle: found.campaign_title,
      campaignUrl: new URL(`c/${found.campaign_slug}`, base).toString(),
      launchAt: formatLaunchTime(found.campaign_launch_at, found.campaign_time_zone),
      launchAtIso: found.campaign_launch_at.toISOString(),
      text: found.pledge_text,
      followsUpdates: row.follows_updates,
    },
  }));
  const campaign = { campaignSlug: found.campaign_slug, campaignTitle: found.campaign_title };
  if (outboxIds === undefined) return done({ kind: 'already', ...campaign });
  await enqueueMails(ctx.queues.mail, outboxIds);
  return done({ kind: 'confirmed', ...campaign });
}
