import type { Strategy } from 'passport';
import type { TextRules } from '../domain/message-rules.ts';
import type { AppPostingPlan } from '../domain/post-budget.ts';
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
  /** The server the account lives on, for networks of many servers (a Mastodon instance's origin). */
  readonly server?: string;
}

/** What a finished consent flow hands back. */
export interface AuthorisedAccount {
  readonly tokens: TokenSet;
  readonly profile: NetworkProfile;
  /** The account's own server's length rule, where it differs from the network's (a Mastodon instance's limit). */
  readonly textRules?: TextRules;
}

/** Whose post it is, and the key that makes a retried request safe where the network honours one. */
export interface PublishContext {
  /** Stable for one delivery: the same key on every attempt. */
  readonly idempotencyKey: string;
  readonly account: { readonly networkUserId: string; readonly server: string | null };
}

/** A server name a supporter typed, accepted as an origin to call, or refused with a reason for them. */
export type ServerCheck = { readonly kind: 'accepted'; readonly server: string } | { readonly kind: 'refused'; readonly reason: string };

/** How a supporter names their server, as forms and the preflight show it (nothing here calls the network). */
export interface ServerChoiceOutline {
  /** The connect route's query parameter that names the server (Mastodon), or the account whose server is looked up (Bluesky). */
  readonly parameter: 'instance' | 'handle';
  /** Servers offered to supporters (the sandbox instance under `npm start`). */
  readonly suggested: readonly string[];
  /** What to type, as a sentence for the supporter beside the field ("The server your account is on"). */
  readonly hint: string;
}

/**
 * Networks of many servers (Mastodon, Bluesky): the supporter names their server (or handle) before the consent
 * page. The connect route checks it, keeps it in the session, and hands it to the strategy as
 * the `server` option of `authenticate`.
 */
export interface ServerChoice extends ServerChoiceOutline {
  check(input: string): Promise<ServerCheck>;
  /** The length rule of one server (an instance's own limit), for texts changed after connecting. */
  textRules(server: string): Promise<TextRules>;
}

export type RefreshOutcome =
  | { readonly kind: 'refreshed'; readonly tokens: TokenSet }
  /** The supporter took their access back, or the grant is gone: the pledge cannot be posted. */
  | { readonly kind: 'revoked'; readonly reason: string }
  | { readonly kind: 'retry-with-backoff'; readonly reason: string };

/**
 * What Chorus knows of a network without loading its libraries: enough for lists, forms, text
 * checks and delivery claims. Each network module has one, beside the module that does the work.
 */
export interface NetworkOutline {
  readonly id: NetworkId;
  readonly displayName: string;
  readonly textRules: TextRules;
  /** Longest a publish call can take before it gives up; a claim must outlast it. */
  readonly requestTimeoutMs: number;
  readonly serverChoice?: ServerChoiceOutline;
  /** Whether the consent gives Chorus the account's follower count (LinkedIn's member scopes do not): where not, reach reads 0. */
  readonly sharesReach: boolean;
  /** Whether the module can repost a post from a supporter's account (X), for a campaign's repost mode. */
  readonly reposts: boolean;
  /** The app-wide posting plan where the network has one (X); absent where each supporter posts through their own account alone. */
  readonly appPlan?: AppPostingPlan;
}

/** One social network, behind the one interface every network module implements. */
export interface SocialNetwork extends NetworkOutline {
  /** A passport strategy that runs the consent flow and yields an AuthorisedAccount as its user. */
  createAuthStrategy(callbackUrl: string): Strategy;
  refresh(tokens: TokenSet): Promise<RefreshOutcome>;
  /** `server`: the account's server, for networks of many servers. */
  fetchProfile(accessToken: string, server?: string): Promise<NetworkProfile>;
  publish(accessToken: string, text: string, context: PublishContext): Promise<PublishOutcome>;
  /** Present where the network can repost: shares `postId` from the supporter's account (X repost mode). */
  repost?(accessToken: string, postId: string, context: PublishContext): Promise<PublishOutcome>;
  /**
   * Looks for a post of `text` that the account made since `since`, so that an attempt whose
   * outcome is unknown is never posted twice (networks with idempotency keys may answer
   * `not-found` and rely on the key instead).
   */
  lookForPost(accessToken: string, networkUserId: string, text: string, since: Date): Promise<PostLookupOutcome>;
  readonly serverChoice?: ServerChoice;
}
