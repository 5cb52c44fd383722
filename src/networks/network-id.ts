// The schema (migration 0004) also accepts 'bluesky', which has no module yet (docs/networks.md).

/** The social networks Chorus can post to. */
export const networkIds = ['x', 'mastodon', 'linkedin'] as const;

export type NetworkId = (typeof networkIds)[number];
