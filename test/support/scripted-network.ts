import type { Strategy } from 'passport';
import type { NetworkId } from '../../src/networks/network-id.ts';
import type { PostLookupOutcome } from '../../src/networks/post-lookup-outcome.ts';
import type { PublishOutcome } from '../../src/networks/publish-outcome.ts';
import type { NetworkProfile, PublishContext, RefreshOutcome, SocialNetwork, TokenSet } from '../../src/networks/social-network.ts';

/** One call Chorus made to the scripted network, in the order it was made. */
export type ScriptedCall =
  | { readonly method: 'publish'; readonly accessToken: string; readonly text: string; readonly context: PublishContext }
  | { readonly method: 'repost'; readonly accessToken: string; readonly postId: string; readonly context: PublishContext }
  | { readonly method: 'lookForPost'; readonly accessToken: string; readonly networkUserId: string; readonly text: string }
  | { readonly method: 'refresh'; readonly tokens: TokenSet }
  | { readonly method: 'fetchProfile'; readonly accessToken: string };

/**
 * A social network in memory for unit tests of decision logic: each answer is scripted ahead, every call is
 * recorded, and a call with no answer left fails the test instead of inventing one.
 */
export interface ScriptedNetwork extends SocialNetwork {
  readonly calls: readonly ScriptedCall[];
  willPublish(...outcomes: PublishOutcome[]): void;
  willRepost(...outcomes: PublishOutcome[]): void;
  willLookUp(...outcomes: PostLookupOutcome[]): void;
  willRefresh(...outcomes: RefreshOutcome[]): void;
}

/** A scripted network named `id`; `requestTimeoutMs` is how long a publish may take (a claim must outlast it). */
export function scriptedNetwork(id: NetworkId, options: { requestTimeoutMs?: number; profile?: NetworkProfile } = {}): ScriptedNetwork {
  const calls: ScriptedCall[] = [];
  const published: PublishOutcome[] = [];
  const reposted: PublishOutcome[] = [];
  const lookups: PostLookupOutcome[] = [];
  const refreshes: RefreshOutcome[] = [];
  const next = <T>(script: T[], method: string): T => {
    const answer = script.shift();
    if (answer === undefined) throw new Error(`the scripted ${id} network has no answer left for ${method}`);
    return answer;
  };
  return {
    id,
    displayName: `Scripted ${id}`,
    textRules: { maxLength: 280, measure: (text) => text.length },
    requestTimeoutMs: options.requestTimeoutMs ?? 1000,
    sharesReach: true,
    reposts: true,
    calls,
    willPublish: (...outcomes) => published.push(...outcomes),
    willRepost: (...outcomes) => reposted.push(...outcomes),
    willLookUp: (...outcomes) => lookups.push(...outcomes),
    willRefresh: (...outcomes) => refreshes.push(...outcomes),
    createAuthStrategy(): Strategy {
      throw new Error('the scripted network has no consent flow');
    },
    async refresh(tokens) {
      calls.push({ method: 'refresh', tokens });
      return next(refreshes, 'refresh');
    },
    async fetchProfile(accessToken) {
      calls.push({ method: 'fetchProfile', accessToken });
      if (options.profile === undefined) throw new Error('the scripted network was given no profile');
      return options.profile;
    },
    async publish(accessToken, text, context) {
      calls.push({ method: 'publish', accessToken, text, context });
      return next(published, 'publish');
    },
    async repost(accessToken, postId, context) {
      calls.push({ method: 'repost', accessToken, postId, context });
      return next(reposted, 'repost');
    },
    async lookForPost(accessToken, networkUserId, text) {
      calls.push({ method: 'lookForPost', accessToken, networkUserId, text });
      return next(lookups, 'lookForPost');
    },
  };
}
