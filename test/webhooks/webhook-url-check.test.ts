import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from '../../src/webhooks/webhook-url-check.ts';

const resolvesTo =
  (...addresses: string[]) =>
  () =>
    Promise.resolve(addresses);
const policy = (resolve = resolvesTo('93.184.215.14')) => ({ localOrigins: ['http://127.0.0.1:4050'], resolve });

describe("a webhook endpoint's address, checked when registered", () => {
  it('accepts https to a public server, and a listed origin over http', async () => {
    expect(await checkWebhookUrl(' https://hooks.example.org/chorus?x=1 ', policy())).toEqual({
      kind: 'accepted',
      url: 'https://hooks.example.org/chorus?x=1',
    });
    expect(await checkWebhookUrl('http://127.0.0.1:4050/in', policy())).toEqual({ kind: 'accepted', url: 'http://127.0.0.1:4050/in' });
  });

  it('refuses plain http, credentials, a fragment, and what is not a URL', async () => {
    for (const url of ['http://hooks.example.org/', 'https://a:b@hooks.example.org/', 'https://hooks.example.org/#x', 'hooks.example.org'])
      expect(await checkWebhookUrl(url, policy()), url).toMatchObject({ kind: 'refused' });
    // The listed origin's other ports and https are not listed.
    expect(await checkWebhookUrl('http://127.0.0.1:4051/in', policy())).toMatchObject({ kind: 'refused' });
  });

  it('refuses an address inside the network, in any notation, or a name resolving to one', async () => {
    for (const url of ['https://127.1/', 'https://0x7f000001/', 'https://[::1]/', 'https://[::ffff:10.0.0.1]/', 'https://169.254.169.254/'])
      expect(await checkWebhookUrl(url, policy()), url).toEqual({ kind: 'refused', reason: 'that server is not reachable from Chorus' });
    expect(await checkWebhookUrl('https://sneaky.example.org/', policy(resolvesTo('93.184.215.14', '10.0.0.2')))).toEqual({
      kind: 'refused',
      reason: 'that server is not reachable from Chorus',
    });
    expect(
      await checkWebhookUrl(
        'https://missing.example.org/',
        policy(() => Promise.reject(new Error('ENOTFOUND'))),
      ),
    ).toEqual({ kind: 'refused', reason: 'missing.example.org could not be found; check the spelling' });
  });
});
