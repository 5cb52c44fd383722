import type { ChorusContext } from '../../chorus-context.ts';
import type { MailLinkPurpose } from '../../security/mail-link-token.ts';
import { findSupporterAddress, type SupporterAddressInContext } from '../../storage/supporter-mail-address.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { supporterMailLinks } from './supporter-mail-links.ts';

/**
 * What a supporter's mail link opens: `held` (the address, found and its token good), or `gone` (the token is good
 * but the address was deleted: unsubscribed, withdrawn, erased, or never confirmed in time). A token that does not
 * match is not-found, so a guessed link learns nothing.
 */
export type SupporterMailLink = { readonly kind: 'held'; readonly address: SupporterAddressInContext } | { readonly kind: 'gone' };

/** Checks a mail link's token and finds its address. */
export async function readSupporterMailLink(
  ctx: ChorusContext,
  purpose: MailLinkPurpose,
  addressId: string,
  token: string,
): Promise<Outcome<SupporterMailLink>> {
  if (!supporterMailLinks(ctx.config).verify(purpose, addressId, token)) return notFound('link (check that the whole link was copied)');
  const address = await findSupporterAddress(ctx.db, addressId);
  return done(address === undefined ? { kind: 'gone' } : { kind: 'held', address });
}
