import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ServerCheck } from '../social-network.ts';
import { classifyAddress } from '../../outbound/address-class.ts';

/** Which instances Chorus may call besides public https ones. */
export interface InstancePolicy {
  /**
   * Origins accepted although they are plain http or resolve to a private or loopback address
   * (the sandbox, a test server, an instance on the operator's own network).
   */
  readonly localOrigins: readonly string[];
  /** Resolves a host name; replaceable so a test can pretend a name points somewhere. */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
}

// RFC 1123 labels, at least two of them, the last not all digits.
const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

async function resolveAll(host: string): Promise<readonly string[]> {
  return (await lookup(host, { all: true, order: 'verbatim' })).map((entry) => entry.address);
}

/**
 * Turns what a supporter typed ("mastodon.social", "https://mastodon.social/") into the
 * origin Chorus will call, refusing anything but a public https host name, unless the
 * operator listed the origin as local.
 */
export async function checkInstance(input: string, policy: InstancePolicy): Promise<ServerCheck> {
  const typed = input.trim().toLowerCase().replace(/\/+$/, '');
  const local = policy.localOrigins.map((origin) => origin.toLowerCase().replace(/\/+$/, ''));
  if (local.includes(typed)) return { kind: 'accepted', server: typed };
  const host = typed.replace(/^https:\/\//, '');
  const refused = (reason: string): ServerCheck => ({ kind: 'refused', reason });
  if (isIP(host) !== 0) return refused("give the instance's name (like mastodon.social), not an address");
  if (!hostName.test(host)) return refused('that is not an instance name; type it like mastodon.social');
  const origin = `https://${host}`;
  if (local.includes(origin)) return { kind: 'accepted', server: origin };

  let addresses: readonly string[];
  try {
    addresses = await (policy.resolve ?? resolveAll)(host);
  } catch {
    return refused(`${host} could not be found; check the spelling`);
  }
  if (addresses.length === 0) return refused(`${host} could not be found; check the spelling`);
  const inside = addresses.some((address) => classifyAddress(address).kind !== 'public');
  if (inside) return refused(`${host} is not a public server`);
  return { kind: 'accepted', server: origin };
}
