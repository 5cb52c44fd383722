import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { ServerCheck } from '../social-network.ts';

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

// Addresses a supporter must not be able to make Chorus call (RFC 6890 special-purpose ranges).
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) privateRanges.addSubnet(network, prefix, 'ipv4');
// IPv4 rules also catch IPv4-mapped IPv6 addresses (::ffff:10.0.0.1).
for (const [network, prefix] of [['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

// RFC 1123 labels, at least two of them, the last not all digits.
const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

async function resolveAll(host: string): Promise<readonly string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
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
  if (isIP(host) !== 0) return refused('give the instance\'s name (like mastodon.social), not an address');
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
  const inside = addresses.some((address) => privateRanges.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'));
  if (inside) return refused(`${host} is not a public server`);
  return { kind: 'accepted', server: origin };
}
