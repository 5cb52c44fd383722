import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createMastodonApiClient, type MastodonApiClient } from '../../../src/networks/mastodon/mastodon-api-client.ts';
import { checkInstance } from '../../../src/networks/mastodon/mastodon-instance.ts';
import { measureMastodonStatus } from '../../../src/networks/mastodon/mastodon-text-rules.ts';
import { startMastodonSandbox, type RunningMastodonSandbox } from '../../../src/networks/mastodon/sandbox/mastodon-sandbox-server.ts';
import { createOutboundGuard } from '../../../src/outbound/outbound-guard.ts';
import { outboundRefusalIn } from '../../../src/outbound/outbound-refusal.ts';
import { mastodonSandboxToken } from './mastodon-sandbox-token.ts';

const publicAddress = () => Promise.resolve(['93.184.215.14']);

describe('Mastodon length counting', () => {
  it('counts a link as 23, a remote mention without its domain, an emoji as one', () => {
    expect(measureMastodonStatus(`Read https://example.org/${'a'.repeat(80)} now`)).toBe(4 + 1 + 23 + 4);
    expect(measureMastodonStatus('Hi @nia@health.example.social!')).toBe('Hi @nia!'.length);
    expect(measureMastodonStatus('Thanks 👩🏽‍⚕️')).toBe(8);
  });
});

describe('Mastodon instance names', () => {
  const policy = { localOrigins: ['http://127.0.0.1:4020'], resolve: publicAddress };

  it('accepts a public host name however it is typed, as an https origin', async () => {
    for (const typed of ['mastodon.social', ' Mastodon.Social/ ', 'https://mastodon.social/']) {
      expect(await checkInstance(typed, policy)).toEqual({ kind: 'accepted', server: 'https://mastodon.social' });
    }
  });

  it('accepts a listed local origin, and nothing else that is plain http, an address or private', async () => {
    expect(await checkInstance('http://127.0.0.1:4020', policy)).toEqual({ kind: 'accepted', server: 'http://127.0.0.1:4020' });
    for (const typed of [
      'http://mastodon.social',
      '127.0.0.1',
      'localhost',
      '[::1]',
      'mastodon.social:8080',
      'user@mastodon.social',
      'mastodon.social/path',
    ]) {
      expect((await checkInstance(typed, policy)).kind, typed).toBe('refused');
    }
    const inside = await checkInstance('intranet.example.org', { localOrigins: [], resolve: () => Promise.resolve(['10.1.2.3']) });
    expect(inside).toEqual({ kind: 'refused', reason: 'intranet.example.org is not a public server' });
    const mapped = await checkInstance('sly.example.org', {
      localOrigins: [],
      resolve: () => Promise.resolve(['93.184.215.14', '::ffff:127.0.0.1']),
    });
    expect(mapped.kind).toBe('refused');
  });
});

describe('posting to the sandbox Mastodon instance over HTTP', () => {
  let instance: RunningMastodonSandbox;
  let limited: RunningMastodonSandbox;
  let api: MastodonApiClient;
  beforeAll(async () => {
    [instance, limited] = await Promise.all([
      startMastodonSandbox({ maxCharacters: 40 }),
      startMastodonSandbox({ statusRateLimit: { limit: 1, windowSeconds: 3600 } }),
    ]);
    // As the product builds it: only the listed local instances may be inside the network.
    api = createMastodonApiClient(createOutboundGuard({ allowedOrigins: [instance.origin, limited.origin] }));
  });
  afterAll(async () => {
    await Promise.all([instance.close(), limited.close()]);
  });
  const statuses = async (origin: string) =>
    (
      (await (await fetch(`${origin}/__sandbox/statuses`)).json()) as {
        statuses: { id: string; username: string; idempotencyKey: string }[];
      }
    ).statuses;

  it('reads the account behind a token', async () => {
    const token = await mastodonSandboxToken(instance.origin, 'reader_rae');
    expect(await api.verifyCredentials(instance.origin, token)).toMatchObject({ username: 'reader_rae', followers_count: 12 });
  });

  it('will not post to an instance whose name now resolves inside the network, even one accepted before', async () => {
    const token = await mastodonSandboxToken(instance.origin, 'rebound_rob');
    const before = (await statuses(instance.origin)).length;
    // The same sandbox, reached by a name (localhost) that resolves to loopback and is not a listed local instance.
    const rebound = instance.origin.replace('127.0.0.1', 'localhost');
    const outcome = await api.postStatus(rebound, token, 'Thank you, support workers', 'chorus-delivery-rebound');
    expect(outcome).toEqual({
      kind: 'failed',
      reason: "the supporter's instance now resolves to an address inside the network, so Chorus did not call it",
    });
    await expect(api.verifyCredentials(rebound, token)).rejects.toThrow();
    expect(await statuses(instance.origin)).toHaveLength(before);
    // The listed local instance itself is still reachable through the same agent.
    expect(await api.verifyCredentials(instance.origin, token)).toMatchObject({ username: 'rebound_rob' });
  });

  it('makes one status for one Idempotency-Key, even when the first answer was lost', async () => {
    const token = await mastodonSandboxToken(instance.origin, 'keyed_kim');
    await fetch(`${instance.origin}/__sandbox/lose-answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"count":1}',
    });
    const lost = await api.postStatus(instance.origin, token, 'Thank you, support workers', 'chorus-delivery-1');
    expect(lost.kind).toBe('retry-with-backoff');
    const retried = await api.postStatus(instance.origin, token, 'Thank you, support workers', 'chorus-delivery-1');
    const again = await api.postStatus(instance.origin, token, 'Thank you, support workers', 'chorus-delivery-1');
    expect(retried.kind).toBe('sent');
    expect(again).toEqual(retried);
    expect((await statuses(instance.origin)).filter((s) => s.username === 'keyed_kim')).toHaveLength(1);
  });

  it("refuses a status over the instance's limit, and a token without write access", async () => {
    const token = await mastodonSandboxToken(instance.origin, 'wordy_wyn');
    const long = await api.postStatus(instance.origin, token, 'x'.repeat(41), 'k-long');
    expect(long).toEqual({
      kind: 'failed',
      reason: 'the instance refused the post: 422 (Validation failed: Text character limit of 40 exceeded)',
    });
    const readOnly = await mastodonSandboxToken(instance.origin, 'reader_rae', 'read:accounts');
    expect((await api.postStatus(instance.origin, readOnly, 'hello', 'k-read')).kind).toBe('failed');
    expect(await api.postStatus(instance.origin, 'not-a-token', 'hello', 'k-none')).toEqual({
      kind: 'failed',
      reason: "the instance no longer accepts this supporter's authorisation",
    });
  });

  it('says when to come back after the rate limit', async () => {
    const token = await mastodonSandboxToken(limited.origin, 'busy_bea');
    expect((await api.postStatus(limited.origin, token, 'first', 'k1')).kind).toBe('sent');
    const second = await api.postStatus(limited.origin, token, 'second', 'k2');
    expect(second.kind).toBe('retry-after');
    if (second.kind === 'retry-after') expect(second.seconds).toBeGreaterThan(3000);
  });

  it('treats an instance that does not answer as not reached, to retry with the same key', async () => {
    const closed = await startMastodonSandbox();
    await closed.close();
    const listingIt = createMastodonApiClient(createOutboundGuard({ allowedOrigins: [closed.origin] }));
    expect((await listingIt.postStatus(closed.origin, 'token', 'hello', 'k')).kind).toBe('retry-with-backoff');
  });
});

describe('the OAuth code exchange with an instance', () => {
  let inside: Server;
  let port: number;
  let connections = 0;
  beforeAll(async () => {
    inside = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.2', resolve));
    port = (inside.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => inside.close(resolve));
  });

  it('goes through the outbound guard: an instance inside the network that is not listed is never connected to', async () => {
    const api = createMastodonApiClient(createOutboundGuard({ allowedOrigins: [] }));
    const form = { grant_type: 'authorization_code', code: 'c', redirect_uri: 'http://127.0.0.1:9/cb', client_id: 'i', client_secret: 's' };
    for (const host of ['127.0.0.2', '2130706434', '0x7f000002', '127.2', '0177.0.0.2', '[::ffff:127.0.0.2]']) {
      for (const protocol of ['http', 'https']) {
        const error = await api.exchangeCode(`${protocol}://${host}:${port}`, form).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(outboundRefusalIn(error)?.range, `${protocol}://${host}`).toContain('loopback');
      }
    }
    expect(connections).toBe(0);
  });
});
