import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a test receiver got. */
export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status it answered. */
  readonly status: number;
}

/** A real HTTP server receiving webhooks: it answers each path as `answer` says, and keeps every request. */
export interface WebhookReceiver {
  readonly origin: string;
  readonly received: ReceivedWebhook[];
  /** Requests to one path, in order. */
  at(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1. `answer` gives the status for a path's n-th request (1 for the first); 200 by default.
 */
export async function startWebhookReceiver(answer: (path: string, nth: number) => number = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const nth = received.filter((r) => r.path === path).length + 1;
      const status = answer(path, nth);
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'thanks' : `no\u0000 (${nth})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
