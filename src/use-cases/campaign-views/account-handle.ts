import type { NetworkId } from '../../networks/network-id.ts';

// Networks whose accounts have no handle: Chorus stores the member's name in its place (LinkedIn).
const namedNotHandled: ReadonlySet<string> = new Set<NetworkId>(['linkedin']);

/**
 * How a supporter's account reads on the pages: "@name" on X, "@user@instance" on Mastodon
 * (its handle is stored as "user@instance"), the plain name where the network has no handles.
 * Any other network, such as one added later, gets the "@" form.
 */
export function displayHandle(network: string, handle: string): string {
  return namedNotHandled.has(network) ? handle : `@${handle}`;
}
