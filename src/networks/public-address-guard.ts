import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

// Addresses a supporter must not be able to make Chorus call (RFC 6890 special-purpose ranges).
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateRanges.addSubnet(network, prefix, 'ipv4');
// IPv4 rules also catch IPv4-mapped IPv6 addresses (::ffff:10.0.0.1).
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, documentation, multicast and other special-purpose addresses. */
export function isSpecialPurposeAddress(address: string): boolean {
  return privateRanges.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** The code of the error a guarded connection fails with when a name resolves inside the network. */
export const PRIVATE_ADDRESS_REFUSED = 'CHORUS_PRIVATE_ADDRESS_REFUSED';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An HTTP agent that resolves each connection's host itself and refuses to connect when any
 * address is special-purpose, except for the hosts of `localOrigins` (the operator's listed servers). The
 * address is checked at the moment of connecting, so a name that pointed outside when the
 * supporter connected and inside at launch (DNS rebinding) is still refused.
 */
export function createPublicOnlyAgent(localOrigins: readonly string[]): Agent {
  const allowed = new Set(localOrigins.map((origin) => new URL(origin).hostname.toLowerCase()));
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      if (!allowed.has(hostname.toLowerCase()) && addresses.some((entry) => isSpecialPurposeAddress(entry.address))) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to an address inside the network; Chorus does not call it`);
        refused.code = PRIVATE_ADDRESS_REFUSED;
        callback(refused, []);
        return;
      }
      if (options.all === true) {
        callback(null, addresses);
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        return;
      }
      callback(null, first.address, first.family);
    });
  };
  return new Agent({ connect: { lookup } });
}
