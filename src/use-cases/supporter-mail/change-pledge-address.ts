import type { ChorusContext } from '../../chorus-context.ts';
import { deleteAddressOfPledge } from '../../storage/supporter-mail-address.repository.ts';
import { findSupporterPledge } from '../pledges/find-supporter-pledge.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { registerSupporterAddress, type SupporterMailChoice } from './register-supporter-address.ts';

/** The address a pledge's mails will go to once the supporter confirms it. */
export interface PledgeAddress {
  readonly address: string;
  readonly followsUpdates: boolean;
  readonly confirmed: false;
}

/**
 * Leaves an address for a pledge's mails through the API (the pledge's private key as proof): the same double opt-in as
 * the review step (registerSupporterAddress: kept unconfirmed, the mail asking to confirm it, replacing an earlier
 * address). Invalid on `email` for a malformed address; a conflict where mail is not configured, or the pledge was
 * withdrawn or its campaign no longer collects (nothing is left to tell before the outcome).
 */
export async function setPledgeAddress(
  ctx: ChorusContext,
  pledgeId: string,
  manageToken: string,
  choice: SupporterMailChoice,
): Promise<Outcome<PledgeAddress>> {
  const found = await findSupporterPledge(ctx.db, pledgeId, manageToken);
  if (found.kind !== 'done') return found;
  if (ctx.config.SMTP_URL === undefined) return conflict('this Chorus sends no mail, so it keeps no address');
  const { pledge, campaign } = found.value;
  if (pledge.state !== 'active' || campaign.state !== 'collecting')
    return conflict('this campaign no longer takes pledges, so no address can be left for it now');
  const registered = await registerSupporterAddress(ctx, campaign, pledge.id, manageToken, choice);
  if (registered.kind !== 'done') return registered;
  return done({ address: choice.address.trim(), followsUpdates: choice.followsUpdates, confirmed: false });
}

/** Deletes a pledge's address and every mail to it not yet sent, through the API; done also when there was none. */
export async function removePledgeAddress(ctx: ChorusContext, pledgeId: string, manageToken: string): Promise<Outcome<null>> {
  const found = await findSupporterPledge(ctx.db, pledgeId, manageToken);
  if (found.kind !== 'done') return found;
  await deleteAddressOfPledge(ctx.db, found.value.pledge.id);
  return done(null);
}
