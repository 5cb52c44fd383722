import type { NetworkId } from '../../networks/network-id.ts';

/** Where a delivered post can be seen on its network; null where its address needs more than its id. */
export function postUrl(network: NetworkId, handle: string, postId: string): string | null {
  const where: Record<NetworkId, () => string | null> = {
    x: () => `https://x.com/${encodeURIComponent(handle)}/status/${encodeURIComponent(postId)}`,
    // A status's address is on the supporter's own instance, which the results do not carry yet.
    mastodon: () => null,
    // The post id is the record's at:// URI; its last part is the record key.
    bluesky: () => `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${encodeURIComponent(postId.split('/').pop() ?? postId)}`,
    linkedin: () => `https://www.linkedin.com/feed/update/${encodeURIComponent(postId)}/`,
  };
  return where[network]();
}
