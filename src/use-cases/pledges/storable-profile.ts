import { NETWORK_NAME_MAX_LENGTH, exactNetworkText, storableNetworkText } from '../../domain/network-text.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { NetworkProfile } from '../../networks/social-network.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

// LinkedIn has no handles: its module puts the member's name there, which is a name like any other.
const nameAsHandle: ReadonlySet<NetworkId> = new Set<NetworkId>(['linkedin']);

/**
 * The account as Chorus keeps it, field by field (docs/security/input.md, "Text from the networks"): the display
 * name (and LinkedIn's name-as-handle) cleaned, never refused; the id, handle and server kept exactly as the network
 * sent them, since Chorus posts, looks up and links with them. Invalid only when one of those could not be kept
 * exactly (a control character or an override in an X username, a Mastodon id or a DID): no network makes such an
 * account, so the consent is refused rather than the account stored as someone it is not.
 */
export function storableProfile(network: NetworkId, profile: NetworkProfile): Outcome<NetworkProfile> {
  const handle = nameAsHandle.has(network)
    ? storableNetworkText(profile.handle, NETWORK_NAME_MAX_LENGTH)
    : exactNetworkText(profile.handle);
  const networkUserId = exactNetworkText(profile.networkUserId);
  const server = profile.server === undefined ? undefined : exactNetworkText(profile.server);
  if (handle === null || handle === '' || networkUserId === null || server === null)
    return invalid(
      `${network} described the account with a name or address Chorus cannot keep exactly as it came; nothing was stored`,
      'account',
    );
  const name = storableNetworkText(profile.displayName, NETWORK_NAME_MAX_LENGTH);
  return done({
    networkUserId,
    handle,
    // A name that was nothing but controls or padding reads as the handle, as an empty one does on every network.
    displayName: name === '' ? handle : name,
    followers: profile.followers,
    ...(server === undefined ? {} : { server }),
  });
}
