import ipaddr from 'ipaddr.js';

/**
 * What an IP address is, for the outbound guard: a public unicast address Chorus may call, or
 * one of a special-purpose range (named as IANA's registries name it, for the log).
 */
export type AddressClass =
  | { readonly kind: 'public'; readonly address: string }
  | { readonly kind: 'special'; readonly address: string; readonly range: string }
  | { readonly kind: 'not-an-address' };

// IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it: the IPv4 address decides.
const carriesIPv4 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);
// Everything IANA has handed out for global unicast lies in 2000::/3; the rest of the IPv6 space is special.
const globalUnicast = ipaddr.IPv6.parseCIDR('2000::/3');
// The local-use NAT64 prefix (RFC 8215) translates for the operator's own network only.
const localUseNat64 = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');

/**
 * Classifies an IP address written in any notation a URL or a resolver accepts: dotted, short
 * (`127.1`), hex (`0x7f000001`), octal (`0177.0.0.1`), decimal (`2130706433`), IPv6 with or without
 * brackets and zone, and IPv4 inside IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`, `64:ff9b::7f00:1`),
 * which is judged by the IPv4 address it reaches. Only unicast addresses outside every
 * special-purpose range (loopback, private, link-local, CGNAT, multicast, documentation, benchmarking,
 * unique-local, tunnels, reserved) are public.
 */
export function classifyAddress(text: string): AddressClass {
  const bare = withIPv4TailRewritten(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return { kind: 'not-an-address' };
  }
  return classifyParsed(parsed);
}

/**
 * ipaddr.js reads `::a.b.c.d` (the deprecated IPv4-compatible form) as IPv4-mapped `::ffff:a.b.c.d`;
 * WHATWG URL's IPv6 parser reads an IPv6 address with a dotted tail as written, in hex.
 */
function withIPv4TailRewritten(address: string): string {
  if (!address.includes(':') || !address.includes('.') || address.includes('%')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

function classifyParsed(parsed: ipaddr.IPv4 | ipaddr.IPv6): AddressClass {
  const address = parsed.toString();
  if (parsed instanceof ipaddr.IPv4) {
    const range = parsed.range();
    return range === 'unicast' ? { kind: 'public', address } : { kind: 'special', address, range };
  }
  const ipv6 = parsed;
  const range = ipv6.range();
  if (ipv6.match(localUseNat64)) return { kind: 'special', address, range: 'rfc8215' };
  if (carriesIPv4.has(range)) {
    const inner = classifyParsed(ipaddr.fromByteArray(ipv6.toByteArray().slice(12)));
    return inner.kind === 'special' ? { kind: 'special', address, range: `${range} ${inner.range}` } : { kind: 'public', address };
  }
  if (range !== 'unicast') return { kind: 'special', address, range };
  // Unicast by ipaddr.js's table, but outside 2000::/3: the deprecated IPv4-compatible ::a.b.c.d and unassigned space.
  if (!ipv6.match(globalUnicast)) return { kind: 'special', address, range: 'reserved' };
  return { kind: 'public', address };
}
