import type { Strategy } from 'passport';
import type { TextRules } from '../domain/message-rules.ts';
import type { NetworkId } from './network-id.ts';
import type { PostLookupOutcome } from './post-lookup-outcome.ts';
import type { PublishOutcome } from './publish-outcome.ts';

/** A supporter's grant from a network, as Chorus holds it (in clear only in memory). */
export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresAt: Date;
  readonly scopes: string;
}

/** Who the supporter is on the network, and how many people will see their post. */
export interface NetworkProfile {
  readonly networkUserId: string;
  readonly handle: string;
  readonly displayName: string;
  readonly followers: number;
}

/** What a finished consent flow hands back. */
export interface AuthorisedAccount {
  readonly tokens: TokenSet;
  readonly profile: NetworkProfile;
}

export type RefreshOutcome =
  | { readonly kind: 'refreshed'; readonly tokens: TokenSet }
  /** The supporter took their access back, or the grant is gone: the pledge cannot be posted. */
  | { readonly kind: 'revoked'; readonly reason: string }
  | { readonly kind: 'retry-with-backoff'; readonly reason: string };

/** One social network, behind the one interface every network module implements. */
export interface SocialNetwork {
  readonly id: NetworkId;
  readonly displayName: string;
  readonly textRules: TextRules;
  /** A passport strategy that runs the consent flow and yields an AuthorisedAccount as its user. */
  createAuthStrategy(callbackUrl: string): Strategy;
  refresh(tokens: TokenSet): Promise<RefreshOutcome>;
  fetchProfile(accessToken: string): Promise<NetworkProfile>;
  publish(accessToken: string, text: string): Promise<PublishOutcome>;
  /**
   * Looks for a post of `text` that the account made since `since`, so that an attempt whose
   * outcome is unknown is never posted twice (networks with idempotency keys may answer
   * `not-found` and rely on the key instead).
   */
  lookForPost(accessToken: string, networkUserId: string, text: string, since: Date): Promise<PostLookupOutcome>;
  /** Longest a publish call can take before it gives up; a claim must outlast it. */
  readonly requestTimeoutMs: number;
}
