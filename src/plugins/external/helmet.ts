import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/** Security headers on every answer, and a content security policy that allows no inline script. */
export default fp<{ https: boolean }>(async (app, options) => {
  // helmet's own headers, worked out once: they never vary per request here, and running its
  // middlewares on every request (as @fastify/helmet does, rebuilding helmet and re-parsing the
  // CSP each time) held the public numbers at 0.24 of a constant route against 0.71 this way
  // (docs/performance.md), below the reading target of 0.5.
  const securityHeaders = headersSetBy(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Over plain http (a laptop, the tests) upgrading would break every asset.
          upgradeInsecureRequests: options.https ? [] : null,
        },
      },
      strictTransportSecurity: options.https,
      // The private withdraw link carries its key in the query: it must never leave in a Referer.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config;
    reply.headers(config.securityHeaders === 'json-api' ? jsonApiHeaders : securityHeaders);
    // A secret in an answer (a token shown once, a session) must not be kept by a browser's or a proxy's cache.
    if (config.answerCarriesSecret === true) reply.header('cache-control', 'no-store');
    done();
  });
});

// A JSON answer is never rendered as a page: it needs only not to be sniffed into one, framed or
// leak a Referer. Each header costs a public route that answers thousands of times a second.
const jsonApiHeaders: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `json-api`: a public JSON route answered often, which gets the short header set of a JSON answer. */
    securityHeaders?: 'json-api';
    /** The answer carries a secret (a token shown once, a session cookie, the account): sent with `Cache-Control: no-store`. */
    answerCarriesSecret?: true;
  }
}

/** The headers a middleware that only sets headers (helmet's) sets, recorded from one run. */
function headersSetBy(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  // helmet's middlewares read nothing of the request.
  const request = Object.create(null) as IncomingMessage;
  middleware(request, recorder as unknown as ServerResponse, (error) => {
    if (error !== undefined) throw error instanceof Error ? error : new Error('helmet could not set its headers');
  });
  return headers;
}

/**
 * Lets one page's forms lead to more places than 'self'. Chromium checks `form-action` against
 * every redirect a form submission follows, so a form answered with a redirect to another
 * origin (the campaign page's Mastodon form, which leads to the supporter's instance) needs it.
 */
export function allowFormsToReach(reply: FastifyReply, sources: readonly string[]): void {
  const policy = reply.getHeader('content-security-policy');
  if (typeof policy !== 'string' || sources.length === 0) return;
  reply.header(
    'content-security-policy',
    policy.replace(/form-action ([^;]*)/, (_directive, current: string) => `form-action ${current} ${sources.join(' ')}`),
  );
}

/**
 * Lets any site frame this answer: the campaign widget (`/c/:slug/embed`) only, the one page made to be embedded.
 * It has no form, no session and no action but a link that opens the campaign in a new tab, so a framing page
 * can trick no click into a change (docs/security.md, "Framing"). Every other answer keeps `frame-ancestors 'none'`.
 */
export function allowFramingByAnyone(reply: FastifyReply): void {
  const policy = reply.getHeader('content-security-policy');
  if (typeof policy === 'string') reply.header('content-security-policy', policy.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  reply.removeHeader('x-frame-options');
}
