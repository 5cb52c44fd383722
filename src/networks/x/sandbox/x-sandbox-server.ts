import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { registerApiRoutes } from './x-sandbox-api-routes.ts';
import { registerAuthorizeRoutes } from './x-sandbox-authorize-routes.ts';
import { registerInspectionRoutes } from './x-sandbox-inspection-routes.ts';
import { XSandboxFaults } from './x-sandbox-faults.ts';
import { XSandboxLoad } from './x-sandbox-load.ts';
import { invalidRequestProblem, sendProblem } from './x-sandbox-problems.ts';
import { FixedWindowLimiter } from './x-sandbox-rate-limit.ts';
import { XSandboxState, type XSandboxClient } from './x-sandbox-state.ts';
import { registerTokenRoutes } from './x-sandbox-token-routes.ts';

export type { XSandboxClient } from './x-sandbox-state.ts';

/** How the sandbox X behaves. */
export interface XSandboxOptions {
  clients: XSandboxClient[];
  /** Lifetime of access tokens; X's is 7200 (2 hours). */
  accessTokenTtlSeconds?: number;
  logger?: boolean;
  /** `POST /2/tweets` per user, in a fixed window; default 100 per 15 minutes. */
  tweetRateLimit?: { limit: number; windowSeconds: number };
  /** Posts per user per 24 hours (`x-user-limit-24hour-*`); unlimited and unreported when absent. */
  userDailyTweetLimit?: number;
  /** Posts per app per 24 hours (`x-app-limit-24hour-*`); unlimited and unreported when absent. */
  appDailyTweetLimit?: number;
  /** The clock, in epoch milliseconds, so that tests can expire tokens and windows without waiting. */
  now?: () => number;
}

/** A sandbox listening on a port. */
export interface RunningXSandbox {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:4010/`: the `X_API_URL` for Chorus. */
  url: string;
  /** The consent page, `url` + `i/oauth2/authorize`: the `X_AUTHORIZE_URL` for Chorus. */
  authorizeUrl: string;
  close(): Promise<void>;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Builds the sandbox X as a Fastify app, not yet listening. */
export function buildXSandbox(options: XSandboxOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const state = new XSandboxState(options.clients, options.accessTokenTtlSeconds ?? 7200, now);
  const tweetRateLimit = options.tweetRateLimit ?? { limit: 100, windowSeconds: 15 * 60 };
  const limiters = {
    perUserWindow: new FixedWindowLimiter(tweetRateLimit.limit, tweetRateLimit.windowSeconds * 1000, now),
    userDaily: options.userDailyTweetLimit === undefined ? undefined : new FixedWindowLimiter(options.userDailyTweetLimit, dayMs, now),
    appDaily: options.appDailyTweetLimit === undefined ? undefined : new FixedWindowLimiter(options.appDailyTweetLimit, dayMs, now),
  };

  // Requests are logged by method and path only: headers carry tokens, and a careless
  // client can put a token in the query string (node-oauth does without an Authorization header).
  const app = Fastify({
    logger:
      options.logger === true
        ? { serializers: { req: (request) => ({ method: request.method, path: request.url.split('?', 1)[0] }) } }
        : false,
  });
  void app.register(formbody);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Body parsing (bad JSON, unknown content type, too large) fails with a 4xx of Fastify's;
    // keep its status and say it as X would rather than let it become a 500.
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'x sandbox failed');
    const message = status === 500 ? 'Internal error in the X sandbox.' : error.message;
    return sendProblem(reply, status, { ...invalidRequestProblem([{ message }]), status });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ errors: [{ message: 'Sorry, that page does not exist', code: 34 }] }));

  const load = new XSandboxLoad();
  load.watch(app);
  registerAuthorizeRoutes(app, state);
  registerTokenRoutes(app, state);
  const faults = new XSandboxFaults(now);
  registerApiRoutes(app, state, limiters, faults);
  registerInspectionRoutes(app, state, faults, load);
  return app;
}

/** Starts the sandbox X; port 0 (the default) picks a free port. */
export async function startXSandbox(options: XSandboxOptions & { port?: number; host?: string }): Promise<RunningXSandbox> {
  const app = buildXSandbox(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The X sandbox is not listening on a TCP port.');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}/`;
  return {
    url,
    authorizeUrl: `${url}i/oauth2/authorize`,
    close: () => app.close(),
  };
}
