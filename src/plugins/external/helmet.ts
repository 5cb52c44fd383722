import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/** Security headers on every answer, and a content security policy that allows no inline script. */
export default fp<{ https: boolean }>(async (app, options) => {
  // Built once: @fastify/helmet rebuilds helmet (and re-parses the CSP) on every request, which
  // cost the public numbers route a tenth of its CPU; the headers never vary per request here.
  const applySecurityHeaders = helmet({
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
  });
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(request.raw, reply.raw, (error?: unknown) => { done(error instanceof Error ? error : undefined); });
  });
});

/**
 * Lets one page's forms lead to more places than 'self'. Chromium checks `form-action` against
 * every redirect a form submission follows, so a form answered with a redirect to another
 * origin (the campaign page's Mastodon form, which leads to the supporter's instance) needs it.
 */
export function allowFormsToReach(reply: FastifyReply, sources: readonly string[]): void {
  const policy = reply.raw.getHeader('content-security-policy');
  if (typeof policy !== 'string' || sources.length === 0) return;
  reply.raw.setHeader('content-security-policy', policy.replace(/form-action ([^;]*)/, (_directive, current: string) => `form-action ${current} ${sources.join(' ')}`));
}
