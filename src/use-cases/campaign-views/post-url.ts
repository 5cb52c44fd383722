import type { NetworkId } from '../../networks/network-id.ts';

/** Where a delivered post can be seen on its network; null where its address cannot be made from what is stored. */
export function postUrl(
  network: NetworkId,
  account: { readonly handle: string; readonly server: string | null },
  postId: string,
): string | null {
  switch (network) {
    case 'x':
      // For a repost the id is the campaign's post: x.com shows it under its own author whatever the name in the path.
      return `https://x.com/${encodeURIComponent(account.handle)}/status/${encodeURIComponent(postId)}`;
    case 'mastodon': {
      // A status lives on the supporter's own instance (the stored origin), at /@user/<id>; the handle is "user@host".
      const username = account.handle.split('@')[0] ?? '';
      if (account.server === null || username === '') return null;
      return `${account.server.replace(/\/+$/, '')}/@${encodeURIComponent(username)}/${encodeURIComponent(postId)}`;
    }
    case 'bluesky':
      // The post id is the record's at:// URI; its last part is the record key.
      return `https://bsky.app/profile/${encodeURIComponent(account.handle)}/post/${encodeURIComponent(postId.split('/').pop() ?? postId)}`;
    case 'linkedin':
      // The post's URN (urn:li:share:…) is its address on the feed, colons and all.
      return `https://www.linkedin.com/feed/update/${postId.split(':').map(encodeURIComponent).join(':')}/`;
  }
}
