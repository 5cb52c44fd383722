import type { NetworkId } from '../../networks/network-id.ts';

/** Where a delivered post can be seen on its network. */
export function postUrl(network: NetworkId, handle: string, postId: string): string {
  const where: Record<NetworkId, () => string> = {
    x: () => `https://x.com/${encodeURIComponent(handle)}/status/${encodeURIComponent(postId)}`,
  };
  return where[network]();
}
