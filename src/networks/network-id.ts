/** The social networks Chorus can post to. */
export const networkIds = ['x', 'mastodon', 'bluesky', 'linkedin'] as const;

export type NetworkId = (typeof networkIds)[number];
