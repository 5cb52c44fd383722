import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerMastodonSandboxApiRoutes } from './mastodon-sandbox-api-routes.ts';
import { registerMastodonSandboxOAuthRoutes } from './mastodon-sandbox-oauth-routes.ts';
import { MastodonSandboxState } from './mastodon-sandbox-state.ts';

/** How the sandbox instance behaves. */
export interface MastodonSandboxOptions {
  /** `configuration.statuses.max_characters`; Mastodon's default is 500. */
  maxCharacters?: number;
  /** Statuses per account in a sliding window; Mastodon allows 300 per 3 hours. */
  statusRateLimit?: { limit: number; windowSeconds: number };
  logger?: boolean;
  now?: () => number;
}

/** A sandbox instance listening on a port. */
export interface RunningMastodonSandbox {
  /** The instance's origin, e.g. `http://127.0.0.1:4020`: what a supporter types as their instance. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Builds the sandbox Mastodon instance as a Fastify app, not yet listening. */
export function buildMastodonSandbox(options: MastodonSandboxOptions = {}): FastifyInstance {
  const now = options.now ?? Date.now;
  const state = new MastodonSandboxState(now);
  // Only method and path are logged: headers and bodies carry tokens and secrets.
  const app = Fastify({
    logger:
      options.logger === true
        ? { serializers: { req: (request) => ({ method: request.method, path: request.url.split('?', 1)[0] }) } }
        : false,
  });
  void app.register(formbody);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Record not found' }));
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'Internal error in the Mastodon sandbox' : error.message });
  });
  registerMastodonSandboxOAuthRoutes(app, state);
  registerMastodonSandboxApiRoutes(app, state, {
    maxCharacters: options.maxCharacters ?? 500,
    statusRateLimit: options.statusRateLimit ?? { limit: 300, windowSeconds: 3 * 60 * 60 },
    now,
  });
  return app;
}

/** Starts the sandbox instance; port 0 (the default) picks a free port. */
export async function startMastodonSandbox(
  options: MastodonSandboxOptions & { port?: number; host?: string } = {},
): Promise<RunningMastodonSandbox> {
  const app = buildMastodonSandbox(options);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The Mastodon sandbox is not listening on a TCP port.');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { origin: `http://${host}:${address.port}`, close: () => app.close() };
}
