import type { ChorusContext } from '../../chorus-context.ts';
import { deleteSupporterAddress } from '../../storage/supporter-mail-address.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { readSupporterMailLink } from './read-supporter-mail-link.ts';

/**
 * Unsubscribes a supporter's address from the link (or the one-click POST, RFC 8058) in any of their mails: the
 * address is deleted with every mail to it not yet sent, and nothing more is sent. Doing it twice is no error.
 */
export async function unsubscribeSupporterAddress(ctx: ChorusContext, addressId: string, token: string): Promise<Outcome<null>> {
  const link = await readSupporterMailLink(ctx, 'unsubscribe', addressId, token);
  if (link.kind !== 'done') return link;
  await deleteSupporterAddress(ctx.db, addressId);
  return done(null);
}
