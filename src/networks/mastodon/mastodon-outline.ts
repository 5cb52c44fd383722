import type { NetworkOutline, ServerChoiceOutline } from '../social-network.ts';
import { mastodonTextRules } from './mastodon-text-rules.ts';

// Slow instances exist; a request that hangs longer than this is treated as lost.
/** How long one call to an instance may take. */
export const mastodonRequestTimeoutMs = 15_000;

/** Mastodon as Chorus shows it before its HTTP client (undici) and passport strategy are loaded; `suggested`: instances offered to supporters. */
export function mastodonOutline(suggested: readonly string[]): NetworkOutline & { readonly serverChoice: ServerChoiceOutline } {
  return {
    id: 'mastodon',
    displayName: 'Mastodon',
    sharesReach: true,
    reposts: false,
    textRules: mastodonTextRules(),
    requestTimeoutMs: mastodonRequestTimeoutMs,
    serverChoice: { parameter: 'instance', suggested, hint: 'The server your account is on' },
  };
}
