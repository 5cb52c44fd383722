/** The social networks Chorus can post to. */
export const networkIds = ['x'] as const;

export type NetworkId = (typeof networkIds)[number];
