import type { FastifyInstance } from 'fastify';

/**
 * Stops the HTTP app the way a deploy needs: no new requests, every request in flight answered,
 * then each connection closed as soon as it falls idle. Node closes idle keep-alive connections
 * only once, when closing starts; one that finishes its request later would otherwise hold the
 * process open for the whole keep-alive timeout.
 */
export async function closeAppGracefully(app: FastifyInstance): Promise<void> {
  const sweeper = setInterval(() => {
    app.server.closeIdleConnections();
  }, 200);
  try {
    await app.close();
  } finally {
    clearInterval(sweeper);
  }
}
