import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logOutboundRefusals } from '../../src/outbound/log-outbound-refusals.ts';
import { createOutboundGuard, type OutboundGuard } from '../../src/outbound/outbound-guard.ts';
import { outboundRefusalIn } from '../../src/outbound/outbound-refusal.ts';

/** A TCP server on a loopback address that counts the connections it is offered (and answers any as HTTP). */
async function countingServer(host: string): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
    // Read (and drop) the request, so the client's end of the connection is seen and the socket closes.
    socket.resume();
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

async function refusalOf(call: Promise<Response>) {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'the call should have been refused').toBeDefined();
  return outboundRefusalIn(error);
}

const guards: OutboundGuard[] = [];
function guardAllowing(allowedOrigins: readonly string[]): OutboundGuard {
  const guard = createOutboundGuard({ allowedOrigins });
  guards.push(guard);
  return guard;
}

describe('the outbound guard', () => {
  let inside: Awaited<ReturnType<typeof countingServer>>;
  let onLoopback: Awaited<ReturnType<typeof countingServer>>;
  let redirecting: HttpServer;
  let redirectingOrigin: string;

  beforeAll(async () => {
    inside = await countingServer('127.0.0.2');
    onLoopback = await countingServer('127.0.0.1');
    // Stands in for a public server (it is listed) that sends the caller on to an address inside.
    redirecting = createHttpServer((request, response) => {
      const to = request.url === '/to-listed' ? `${redirectingOrigin}/done` : `http://127.0.0.2:${inside.port}/internal`;
      if (request.url === '/done') response.end('done');
      else response.writeHead(302, { location: to }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    redirectingOrigin = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(guards.map((guard) => guard.dispatcher.close()));
    await Promise.all([inside.server, onLoopback.server, redirecting].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  let before: { inside: number; onLoopback: number };
  beforeEach(() => {
    before = { inside: inside.connections(), onLoopback: onLoopback.connections() };
  });

  it('refuses an address literal in every notation, over http and https, without opening a connection', async () => {
    const guard = guardAllowing([]);
    const notations = [
      '127.0.0.2',
      '127.2',
      '0x7f000002',
      '2130706434',
      '0177.0.0.2',
      '0x7f.0.0.2',
      '[::ffff:127.0.0.2]',
      '[::ffff:7f00:2]',
    ];
    for (const host of notations) {
      for (const protocol of ['http', 'https']) {
        const refused = await refusalOf(guard.fetch(`${protocol}://${host}:${inside.port}/.well-known/did.json`));
        expect(refused?.port, `${protocol}://${host}`).toBe(inside.port);
        expect(refused?.range, `${protocol}://${host}`).toContain('loopback');
      }
    }
    expect(await refusalOf(guard.fetch(`http://[::1]:${inside.port}/`))).toMatchObject({ address: '::1', range: 'loopback' });
    expect(inside.connections()).toBe(before.inside);
  });

  it('refuses a name that resolves inside the network, as it connects', async () => {
    const guard = guardAllowing([]);
    const refused = await refusalOf(guard.fetch(`http://localhost:${onLoopback.port}/`));
    expect(refused).toMatchObject({ host: 'localhost', port: onLoopback.port, range: 'loopback' });
    expect(onLoopback.connections()).toBe(before.onLoopback);
  });

  it('reaches a listed origin, and only that origin: not its host on another port', async () => {
    const guard = guardAllowing([`http://127.0.0.2:${inside.port}`]);
    expect(await (await guard.fetch(`http://127.0.0.2:${inside.port}/`)).text()).toBe('ok');
    // The same origin written another way is the same origin once a URL has read it.
    expect(await (await guard.fetch(`http://2130706434:${inside.port}/`)).text()).toBe('ok');
    expect(inside.connections()).toBe(before.inside + 2);
    // https to the listed http origin's host and port is another origin.
    expect(await refusalOf(guard.fetch(`https://127.0.0.2:${inside.port}/`))).toBeDefined();
    expect(await refusalOf(guard.fetch(`http://127.0.0.1:${onLoopback.port}/`))).toBeDefined();
    expect(inside.connections()).toBe(before.inside + 2);
    expect(onLoopback.connections()).toBe(before.onLoopback);
  });

  it('checks every redirect hop: a server that sends Chorus on to an address inside is refused there', async () => {
    const guard = guardAllowing([redirectingOrigin]);
    const refused = await refusalOf(guard.fetch(`${redirectingOrigin}/to-internal`));
    expect(refused).toMatchObject({ address: '127.0.0.2', port: inside.port, range: 'loopback' });
    expect(inside.connections()).toBe(before.inside);
    // A redirect within the listed origin is followed.
    expect(await (await guard.fetch(`${redirectingOrigin}/to-listed`)).text()).toBe('done');
  });

  it('logs each refusal with its host, address and range, and never the path, query or headers', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const stop = logOutboundRefusals(pino({ level: 'info' }, stream));
    try {
      const guard = guardAllowing([]);
      await refusalOf(
        guard.fetch(`http://2130706434:${inside.port}/oauth/token?code=secret-code-123`, {
          method: 'POST',
          headers: { authorization: 'Bearer secret-token-456' },
          body: 'client_secret=secret-789',
        }),
      );
    } finally {
      stop();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as { level: number; refused: unknown };
    expect(entry.level).toBe(40);
    expect(entry.refused).toEqual({ host: '127.0.0.2', port: inside.port, address: '127.0.0.2', range: 'loopback' });
    expect(lines[0]).not.toMatch(/secret|oauth|token/);
    expect(inside.connections()).toBe(before.inside);
  });
});
