import fastifyCsrfProtection from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

/** CSRF tokens for the pages' forms, their secret kept in the encrypted session cookie. */
export default fp(async (app) => {
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/secure-session',
    // Forms send it as a field; the multipart upload form, whose body is read later, in its query.
    getToken: (request) => {
      const fromBody = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromQuery = (request.query as { _csrf?: unknown } | undefined)?._csrf;
      return typeof fromQuery === 'string' ? fromQuery : undefined;
    },
  });
});
