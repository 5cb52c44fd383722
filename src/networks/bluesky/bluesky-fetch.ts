import { createOutboundGuard } from '../../outbound/outbound-guard.ts';

/**
 * Every call the OAuth client makes (handle resolution over https, DID documents, the PDS and its
 * authorisation server, posts): https only, except the listed local servers, and through the
 * outbound guard, which refuses to connect to an address inside the network unless it is a listed
 * local server's origin. A handle or DID document is the supporter's to write, so it must not be
 * able to make Chorus call inside its own network.
 */
export function createBlueskyFetch(localOrigins: readonly string[], timeoutMs: number): typeof fetch {
  const local = new Set(localOrigins.map((origin) => new URL(origin).origin));
  const outbound = createOutboundGuard({ allowedOrigins: localOrigins });
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.protocol !== 'https:' && !local.has(url.origin)) {
      return Promise.reject(new TypeError(`Chorus calls Bluesky servers over https only, not ${url.origin}`));
    }
    return outbound.fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
  };
}
