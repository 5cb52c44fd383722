import { isIP } from 'node:net';
import { commaList } from './comma-list.ts';

/** What Fastify's `trustProxy` is given: nothing trusted, or the proxies' addresses. */
export type TrustProxyOption = false | string[];

// proxy-addr's names for address ranges (Fastify passes a list of addresses to it).
const rangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads TRUST_PROXY: empty (trust no proxy: the client is the socket's peer), or comma-separated
 * proxy addresses, CIDR ranges or the names loopback, linklocal, uniquelocal. `true` (trust every
 * X-Forwarded-For) is refused: anyone could then claim any address and step round the per-client
 * rate limits. So is a number of proxies: Fastify trusts no hop count (it cannot tell a proxy from
 * a client that sends the header itself), so it would silently trust nothing.
 */
export function readTrustProxy(
  value: string,
): { readonly kind: 'valid'; readonly option: TrustProxyOption } | { readonly kind: 'invalid'; readonly problem: string } {
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'valid', option: false };
  const entries = commaList(trimmed);
  const wrong = entries.filter((entry) => !isProxyAddress(entry));
  if (wrong.length > 0)
    return {
      kind: 'invalid',
      problem: `${wrong.join(', ')}: name the proxies in front of Chorus by their addresses or CIDR ranges (or loopback, linklocal, uniquelocal)`,
    };
  return { kind: 'valid', option: entries };
}

/** TRUST_PROXY of a loaded (so already checked) configuration, as Fastify's `trustProxy` option. */
export function trustProxyOption(value: string): TrustProxyOption {
  const read = readTrustProxy(value);
  return read.kind === 'valid' ? read.option : false;
}

function isProxyAddress(entry: string): boolean {
  if (rangeNames.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
