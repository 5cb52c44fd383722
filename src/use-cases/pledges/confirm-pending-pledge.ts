import type { ChorusContext } from '../../chorus-context.ts';
import type { Campaign, PendingPledge } from '../../storage/database.ts';
import { consumePendingPledge } from '../../storage/pending-pledge.repository.ts';
import { checkSupporterAddress, type SupporterMailChoice } from '../supporter-mail/register-supporter-address.ts';
import { notFound, type Outcome } from '../use-case-outcome.ts';
import { credentialsOf, profileOf } from './pending-pledge.ts';
import { pledgeTextFor, writePledge, type PledgeWording, type RecordedPledge } from './record-pledge.ts';

/** What the supporter chose on the review page. */
export interface PledgeConfirmation {
  readonly wording: PledgeWording;
  /** "Show my name on the campaign page" (off unless ticked). */
  readonly shownPublicly: boolean;
  /** An address for the supporter's mails (docs/mail.md), or null when they left none. */
  readonly mail: SupporterMailChoice | null;
}

/**
 * Turns a pending pledge into a pledge, once: the text is checked first (a wording too long for the account,
 * or their own text breaking a rule, leaves the pending pledge for another try), then the pending pledge is
 * taken out of its table and its grant written with the pledge. A second confirmation of the same pending
 * pledge (a double submit, a replayed cookie) finds it gone: not-found, and nothing is written. An address left for
 * mail is checked with the text (invalid on `email`), and kept with the pledge, unconfirmed.
 */
export async function confirmPendingPledge(
  ctx: ChorusContext,
  campaign: Campaign,
  pending: PendingPledge,
  choice: PledgeConfirmation,
): Promise<Outcome<RecordedPledge>> {
  const input = { network: pending.network, profile: profileOf(pending), wording: choice.wording, shownPublicly: choice.shownPublicly };
  const text = await pledgeTextFor(ctx, campaign, input);
  if (text.kind !== 'done') return text;
  if (choice.mail !== null) {
    const address = checkSupporterAddress(choice.mail.address);
    if (address.kind !== 'done') return address;
  }
  const consumed = await consumePendingPledge(ctx.db, pending.id, campaign.id);
  if (consumed === undefined) return notFound('pending pledge');
  // The address and the mail asking to confirm it are written in the pledge's own statement: all of them, or none.
  return writePledge(ctx, campaign, input, text.value, credentialsOf(consumed), choice.mail);
}
