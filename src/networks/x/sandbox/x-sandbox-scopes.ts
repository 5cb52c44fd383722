/**
 * The OAuth 2.0 scopes X knows, with the wording its consent page uses. An unknown scope
 * makes X refuse the authorisation request, so the sandbox refuses it too.
 */
export const xScopeDescriptions: ReadonlyMap<string, string> = new Map([
  ['tweet.read', 'Read posts you can see, including posts from protected accounts you follow.'],
  ['tweet.write', 'Create and delete posts for you.'],
  ['tweet.moderate.write', 'Hide and unhide replies to your posts.'],
  ['users.read', 'Read your profile and the profiles of accounts you can see.'],
  ['users.email', 'See your email address.'],
  ['follows.read', 'See who you follow and who follows you.'],
  ['follows.write', 'Follow and unfollow accounts for you.'],
  ['offline.access', 'Stay connected to your account until you revoke access.'],
  ['space.read', 'See all the Spaces you can see.'],
  ['mute.read', 'See accounts you have muted.'],
  ['mute.write', 'Mute and unmute accounts for you.'],
  ['like.read', 'See posts you have liked and who liked posts you can see.'],
  ['like.write', 'Like and unlike posts for you.'],
  ['list.read', 'See lists, their members and followers.'],
  ['list.write', 'Create and manage lists for you.'],
  ['block.read', 'See accounts you have blocked.'],
  ['block.write', 'Block and unblock accounts for you.'],
  ['bookmark.read', 'See your bookmarks.'],
  ['bookmark.write', 'Add and remove bookmarks for you.'],
  ['media.write', 'Upload media for you.'],
  ['dm.read', 'Read your direct messages.'],
  ['dm.write', 'Send direct messages for you.'],
]);

/** Splits a space-separated scope parameter, dropping empty entries and repeats. */
export function parseScopeParameter(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((entry) => entry !== ''))];
}
