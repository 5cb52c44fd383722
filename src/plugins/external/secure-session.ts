import { createHash } from 'node:crypto';
import fastifySecureSession from '@fastify/secure-session';
import fp from 'fastify-plugin';

/**
 * Encrypted, http-only, same-site cookie sessions: an organiser's session token (its record in
 * organiser_sessions says whether it still signs anyone in), the CSRF secret, and the OAuth state/PKCE verifier.
 */
export default fp<{ secret: string; secureCookie: boolean; lifetimeSeconds: number }>(async (app, options) => {
  await app.register(fastifySecureSession, {
    cookieName: 'chorus_session',
    // secure-session wants a 32-byte key; derive it from the configured secret.
    key: createHash('sha256').update(options.secret).digest(),
    // Nothing the cookie holds outlives an organiser's session.
    expiry: options.lifetimeSeconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookie },
  });
});
