import { createHash } from 'node:crypto';
import fastifySecureSession from '@fastify/secure-session';
import fp from 'fastify-plugin';

/** Encrypted, http-only, same-site cookie sessions: organisers' sign-in and the OAuth state/PKCE verifier. */
export default fp<{ secret: string; secureCookie: boolean }>(async (app, options) => {
  await app.register(fastifySecureSession, {
    cookieName: 'chorus_session',
    // secure-session wants a 32-byte key; derive it from the configured secret.
    key: createHash('sha256').update(options.secret).digest(),
    expiry: 7 * 24 * 60 * 60,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookie },
  });
});
