/**
 * How a campaign reaches X: every supporter posts the text (`post`), or the campaign's own
 * account posts it once and every X supporter reposts that post (`repost`), which keeps a
 * campaign within X's rule against identical posts from many accounts.
 */
export const xModes = ['post', 'repost'] as const;

export type XMode = (typeof xModes)[number];
