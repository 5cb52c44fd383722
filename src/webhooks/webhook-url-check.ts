import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from '../outbound/address-class.ts';

/** Which endpoints Chorus may call besides public https ones, and how names are resolved. */
export interface WebhookUrlPolicy {
  /** Origins accepted although plain http or inside the network (a test receiver, one on the operator's network). */
  readonly localOrigins: readonly string[];
  /** Resolves a host name; replaceable so a test can pretend a name points somewhere. */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
}

/** An endpoint's address, accepted as Chorus will call it, or refused with a reason to show beside the field. */
export type WebhookUrlCheck = { readonly kind: 'accepted'; readonly url: string } | { readonly kind: 'refused'; readonly reason: string };

async function resolveAll(host: string): Promise<readonly string[]> {
  return (await lookup(host, { all: true, order: 'verbatim' })).map((entry) => entry.address);
}

/**
 * Checks an endpoint's URL when it is registered: https to a public server, or a listed origin; no credentials in it,
 * no fragment. The name is resolved now to answer at once; the outbound guard checks again at every request, on the
 * address connected to (a name that moves inside later is refused then).
 */
export async function checkWebhookUrl(input: string, policy: WebhookUrlPolicy): Promise<WebhookUrlCheck> {
  const refused = (reason: string): WebhookUrlCheck => ({ kind: 'refused', reason });
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return refused('give the full address, starting with https://');
  }
  if (url.username !== '' || url.password !== '') return refused('the address must not carry a user name or password');
  if (url.hash !== '') return refused('the address must not have a #fragment');
  const listed = policy.localOrigins.some((origin) => new URL(origin).origin === url.origin);
  if (listed) return { kind: 'accepted', url: url.href };
  if (url.protocol !== 'https:') return refused('the address must start with https://');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    return classifyAddress(host).kind === 'public'
      ? { kind: 'accepted', url: url.href }
      : refused('that server is not reachable from Chorus');
  }
  let addresses: readonly string[];
  try {
    addresses = await (policy.resolve ?? resolveAll)(host);
  } catch {
    return refused(`${host} could not be found; check the spelling`);
  }
  if (addresses.length === 0) return refused(`${host} could not be found; check the spelling`);
  if (addresses.some((address) => classifyAddress(address).kind !== 'public')) return refused('that server is not reachable from Chorus');
  return { kind: 'accepted', url: url.href };
}
