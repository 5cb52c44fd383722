import fastifyHelmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** Security headers on every answer, and a content security policy that allows no inline script. */
export default fp<{ https: boolean }>(async (app, options) => {
  await app.register(fastifyHelmet, {
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
});
