import type { NetworkOutline, ServerChoiceOutline } from '../social-network.ts';
import { blueskyTextRules } from './bluesky-text-rules.ts';

/** How long one call to a Bluesky server may take. */
export const blueskyRequestTimeoutMs = 15_000;

/** Bluesky as Chorus shows it before the AT Protocol libraries are loaded. */
export const blueskyOutline: NetworkOutline & { readonly serverChoice: ServerChoiceOutline } = {
  id: 'bluesky',
  displayName: 'Bluesky',
  sharesReach: true,
  reposts: false,
  textRules: blueskyTextRules,
  requestTimeoutMs: blueskyRequestTimeoutMs,
  serverChoice: { parameter: 'handle', suggested: [], hint: 'Your handle as your profile shows it, like alice.bsky.social' },
};
