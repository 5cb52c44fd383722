import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/outbound/address-class.ts';

// Every way of writing an address inside the network that a URL, a resolver or a DID can carry.
const inside: readonly (readonly [written: string, range: string])[] = [
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['2130706433', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['00000177.0.0.01', 'loopback'],
  ['127.0.0.2', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['012.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['0xc0a80101', 'private'],
  ['3232235777', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['0xa9fea9fe', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.255', 'carrierGradeNat'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.51.100.1', 'reserved'],
  ['203.0.113.1', 'reserved'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['100::1', 'discard'],
  ['::ffff:127.0.0.1', 'ipv4Mapped loopback'],
  ['[::ffff:7f00:1]', 'ipv4Mapped loopback'],
  ['::ffff:10.0.0.1', 'ipv4Mapped private'],
  ['::ffff:169.254.169.254', 'ipv4Mapped linkLocal'],
  ['64:ff9b::7f00:1', 'rfc6052 loopback'],
  ['64:ff9b:1::1', 'rfc8215'],
  ['2002:7f00:1::1', '6to4'],
  ['2001::1', 'teredo'],
  // The deprecated IPv4-compatible form, and space outside 2000::/3 that ipaddr.js calls unicast.
  ['::127.0.0.1', 'reserved'],
  ['::7f00:1', 'reserved'],
  ['4000::1', 'reserved'],
];

const outside = [
  ['93.184.215.14', '93.184.215.14'],
  ['0x5db8d70e', '93.184.215.14'],
  ['1572394766', '93.184.215.14'],
  ['8.8.8.8', '8.8.8.8'],
  ['100.63.255.255', '100.63.255.255'],
  ['100.128.0.1', '100.128.0.1'],
  ['172.32.0.1', '172.32.0.1'],
  ['11.0.0.1', '11.0.0.1'],
  ['2606:4700:4700::1111', '2606:4700:4700::1111'],
  ['[2a00:1450:4009:81f::200e]', '2a00:1450:4009:81f::200e'],
  ['::ffff:93.184.215.14', '::ffff:5db8:d70e'],
  ['64:ff9b::5db8:d70e', '64:ff9b::5db8:d70e'],
] as const;

describe('which addresses the outbound guard calls public', () => {
  it('puts every notation of loopback, private, link-local, CGNAT, multicast and reserved addresses in its range', () => {
    for (const [written, range] of inside) {
      expect(classifyAddress(written), written).toMatchObject({ kind: 'special', range });
    }
  });

  it('calls public unicast addresses public, in any notation, IPv4 inside IPv6 included', () => {
    for (const [written, address] of outside) {
      expect(classifyAddress(written), written).toEqual({ kind: 'public', address });
    }
  });

  it('does not take a name, or something that is no address, for one', () => {
    for (const written of [
      'localhost',
      'example.org',
      '',
      '127.0.0.1.nip.io',
      '1.2.3.4.5',
      '08.0.0.1',
      '4294967296',
      '[::1',
      'ffff::1::1',
    ]) {
      expect(classifyAddress(written), written).toEqual({ kind: 'not-an-address' });
    }
  });

  // What reaches the guard from a URL is what WHATWG URL made of it: it rewrites every IPv4 notation to
  // dotted form and IPv4-mapped IPv6 to hex, and refuses notations it cannot read (so they never connect).
  it('agrees with the host a URL makes of each notation', () => {
    const normalised = ['127.1', '0x7f000001', '2130706433', '0177.0.0.1', '0x7f.0.0.1', '0xc0a80101', '0xa9fea9fe'].map((written) => [
      written,
      new URL(`http://${written}/`).hostname,
    ]);
    for (const [written, hostname] of normalised) {
      expect(classifyAddress(hostname ?? ''), `${written} as ${hostname}`).toEqual(classifyAddress(written ?? ''));
      expect(hostname, written).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(classifyAddress(new URL('http://[::ffff:127.0.0.1]/').hostname)).toMatchObject({
      kind: 'special',
      range: 'ipv4Mapped loopback',
    });
    expect(() => new URL('http://08.0.0.1/')).toThrow();
    expect(() => new URL('http://4294967296/')).toThrow();
  });
});
