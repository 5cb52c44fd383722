import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlueskyFetch } from '../../../src/networks/bluesky/bluesky-fetch.ts';
import { OUTBOUND_REFUSED } from '../../../src/outbound/outbound-refusal.ts';

describe('the calls Chorus makes to Bluesky servers', () => {
  let server: Server;
  let port: number;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reaches a listed local server, and refuses plain http or a private address anywhere else', async () => {
    const blueskyFetch = createBlueskyFetch([`http://127.0.0.1:${port}`], 2_000);
    expect(await (await blueskyFetch(`http://127.0.0.1:${port}/xrpc/com.atproto.server.describeServer`)).json()).toEqual({ ok: true });
    expect(requests).toBe(1);

    // A handle's or DID document's server is the supporter's to name: plain http is refused before any call...
    await expect(blueskyFetch(`http://localhost:${port}/`)).rejects.toThrow(/https only/);
    // ...and an https name that resolves inside the network is refused at the connection.
    const refused = await blueskyFetch(`https://localhost:${port}/.well-known/atproto-did`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(((refused as TypeError).cause as NodeJS.ErrnoException | undefined)?.code).toBe(OUTBOUND_REFUSED);
    expect(requests).toBe(1);
  });
});
