import { createPublicOnlyAgent } from '../public-address-guard.ts';

/**
 * Every call the OAuth client makes (handle resolution over https, DID documents, the PDS and its
 * authorisation server, posts): https only, except the listed local servers, and through an agent
 * that refuses to connect to a private address unless it is a listed local server's host. A handle
 * or DID document is the supporter's to write, so it must not be able to make Chorus call inside
 * its own network.
 */
export function createBlueskyFetch(localOrigins: readonly string[], timeoutMs: number): typeof fetch {
  const local = new Set(localOrigins.map((origin) => new URL(origin).origin));
  const dispatcher = createPublicOnlyAgent(localOrigins);
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.protocol !== 'https:' && !local.has(url.origin)) {
      return Promise.reject(new TypeError(`Chorus calls Bluesky servers over https only, not ${url.origin}`));
    }
    // Node's fetch takes an undici dispatcher; ours comes from the undici package, whose class is not Node's own.
    return fetch(input, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
      dispatcher: dispatcher as unknown as RequestInit['dispatcher'],
    });
  };
}
