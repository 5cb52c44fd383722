import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../../routes/http-error.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery, closed for the JSON API. A write that carries no Authorization header
 * may be riding on the browser's cookie (ambient authority), or be a sign-in or sign-up another site
 * drives (login CSRF), so it must come from Chorus's own pages and carry JSON:
 *
 * - `Sec-Fetch-Site`, which browsers set and pages cannot forge, must say `same-origin` (or `none`:
 *   the person typed it); without it, `Origin` must be Chorus's own origin (`PUBLIC_URL`). A request
 *   with neither is not from a browser (curl, a script), and has no victim's cookie to ride on.
 * - the body, when there is one, must be `application/json`: a cross-site HTML form can send only
 *   form encodings and text/plain, so a browser that sent no Origin still cannot forge one.
 *
 * Bearer-token requests are exempt: the token is no ambient authority, a page cannot make another
 * site's browser send it, and a cross-site script that sets the header must pass a CORS preflight,
 * which Chorus never grants. This is the same check as Go's net/http CrossOriginProtection.
 */
export default fp<{ publicUrl: string }>(async (app, { publicUrl }) => {
  const ownOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method) || request.headers.authorization !== undefined) return;
    if (!isFromOwnOrigin(request, ownOrigin))
      throw new HttpError(
        403,
        'this request came from another site; Chorus takes writes only from its own pages or from scripts with an API token',
      );
    if (!isJsonOrEmpty(request)) throw new HttpError(415, 'send the body as application/json');
  });
});

/** Whether the browser says the request comes from Chorus's own pages (or from no browser at all). */
function isFromOwnOrigin(request: FastifyRequest, ownOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  return origin === undefined || origin === ownOrigin;
}

/** Whether the body is JSON, or there is none. */
function isJsonOrEmpty(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  if (type === undefined) return request.headers['transfer-encoding'] === undefined && Number(request.headers['content-length'] ?? 0) === 0;
  return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
