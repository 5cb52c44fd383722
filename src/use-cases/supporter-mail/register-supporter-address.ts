import type { ChorusContext } from '../../chorus-context.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { isEmailAddress } from '../../domain/organiser-account.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import type { Campaign } from '../../storage/database.ts';
import { saveSupporterAddress, type NewSupporterAddress } from '../../storage/supporter-mail-address.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** What the supporter left at the review step: an address, and whether they follow the campaign's updates. */
export interface SupporterMailChoice {
  readonly address: string;
  readonly followsUpdates: boolean;
}

/** Checks an address typed at the review step (trimmed); invalid on `email`. */
export function checkSupporterAddress(address: string): Outcome<string> {
  const trimmed = address.trim();
  if (!isEmailAddress(trimmed)) return invalid('Give an email address, like name@example.org, or leave the box empty.', 'email');
  return done(trimmed);
}

/**
 * The address a supporter left, checked, ready to keep with its manage token sealed with the token key (the
 * confirmation mail carries the manage link, and only the pledge's hash of it is kept otherwise), and the mail that
 * asks to confirm it: nothing else goes to the address before the supporter follows that mail's link. Invalid on
 * `email` for a malformed address.
 */
export function supporterAddressToKeep(
  ctx: Pick<ChorusContext, 'config' | 'cipher'>,
  campaign: Campaign,
  manageToken: string,
  choice: SupporterMailChoice,
): Outcome<NewSupporterAddress> {
  const address = checkSupporterAddress(choice.address);
  if (address.kind !== 'done') return address;
  const base = withTrailingSlash(ctx.config.PUBLIC_URL);
  return done({
    address: address.value,
    followsUpdates: choice.followsUpdates,
    sealedManageToken: { keyId: ctx.cipher.keyId, sealed: ctx.cipher.encrypt(manageToken) },
    confirmMail: {
      kind: 'supporter-address-confirm',
      dedupeKeyPrefix: 'supporter-address-confirm:',
      templateData: {
        campaignTitle: campaign.title,
        campaignUrl: new URL(`c/${campaign.slug}`, base).toString(),
        launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
        followsUpdates: choice.followsUpdates,
      },
    },
  });
}

/**
 * Keeps the address of a pledge already written (the API's `PUT /pledges/:id/email`), unconfirmed, with the mail that
 * asks to confirm it, in one transaction (see supporterAddressToKeep); the review step writes the same with the pledge
 * itself. Invalid on `email` for a malformed address.
 */
export async function registerSupporterAddress(
  ctx: ChorusContext,
  campaign: Campaign,
  pledgeId: string,
  manageToken: string,
  choice: SupporterMailChoice,
): Promise<Outcome<{ addressId: string }>> {
  const toKeep = supporterAddressToKeep(ctx, campaign, manageToken, choice);
  if (toKeep.kind !== 'done') return toKeep;
  const saved = await saveSupporterAddress(ctx.db, { id: pledgeId, campaignId: campaign.id }, toKeep.value);
  await enqueueMails(ctx.queues.mail, saved.outboxIds);
  return done({ addressId: saved.addressId });
}
