import fastifyCsrfProtection from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

/**
 * CSRF tokens for the pages' forms, their secret kept in the encrypted session cookie. The token
 * is read from the form's `_csrf` field; only a route whose body is read after the check (the
 * multipart image upload, `config: { csrfTokenInQuery: true }`) takes it from the query, since a
 * token in a URL leaks into logs and history.
 */
export default fp(async (app) => {
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/secure-session',
    getToken: (request) => {
      if (request.routeOptions.config.csrfTokenInQuery === true) {
        const fromQuery = (request.query as { _csrf?: unknown } | undefined)?._csrf;
        return typeof fromQuery === 'string' ? fromQuery : undefined;
      }
      const fromBody = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : undefined;
    },
  });
});

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's form is multipart, read after the CSRF check: its token comes in the query. */
    csrfTokenInQuery?: true;
  }
}
