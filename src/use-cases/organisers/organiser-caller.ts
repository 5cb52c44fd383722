import type { Organiser } from '../../storage/database.ts';

/**
 * How a caller proved who they are: a signed-in browser session, or an API token (a script's).
 * Some rules depend on it: only a session may mint API tokens, change the password or open the pages.
 */
export type OrganiserCredential =
  { readonly kind: 'session'; readonly sessionId: string } | { readonly kind: 'api-token'; readonly tokenId: string };

/** The organiser a request acts for, and how they proved it. */
export interface OrganiserCaller {
  readonly organiser: Organiser;
  readonly credential: OrganiserCredential;
}
