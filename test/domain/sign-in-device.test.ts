import { describe, expect, it } from 'vitest';
import { describeUserAgent, ipPrefixOf } from '../../src/domain/sign-in-device.ts';

describe('what a session keeps of the device that signed in', () => {
  it('names the browser and system of common user agents, and nothing more', () => {
    const agents: [string, string][] = [
      ['Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on Linux'],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
        'Chrome on Windows',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0',
        'Edge on Windows',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
        'Safari on macOS',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
        'Safari on iOS',
      ],
      ['Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
      ['curl/8.14.1', 'curl'],
      ['', 'Unknown browser'],
    ];
    for (const [agent, summary] of agents) expect(describeUserAgent(agent), agent).toBe(summary);
    expect(describeUserAgent(undefined)).toBe('Unknown browser');
  });

  it('keeps the network of an address, a /24 or a /48, never the address', () => {
    expect(ipPrefixOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefixOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(ipPrefixOf('2001:db8:1234:5678::1')).toBe('2001:db8:1234::/48');
    expect(ipPrefixOf('2001:0db8:0000:0001:0:0:0:1')).toBe('2001:db8:0::/48');
    expect(ipPrefixOf('::1')).toBe('0:0:0::/48');
    expect(ipPrefixOf('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(ipPrefixOf('not an address')).toBeNull();
    expect(ipPrefixOf(undefined)).toBeNull();
  });
});
