import { Agent, RichText } from '@atproto/api';
import { TokenInvalidError, TokenRefreshError, TokenRevokedError, type OAuthSession } from '@atproto/oauth-client-node';
import { notReachableFromChorus, outboundRefusalIn } from '../../outbound/outbound-refusal.ts';
import type { PublishOutcome } from '../publish-outcome.ts';
import type { AuthorisedAccount, NetworkProfile, RefreshOutcome, ServerChoice, SocialNetwork } from '../social-network.ts';
import { createBlueskyStrategy } from './bluesky-auth-strategy.ts';
import { blueskyScope, type BlueskyOAuth } from './bluesky-oauth.ts';
import { blueskyRecordKey } from './bluesky-record-key.ts';
import { blueskyOutline } from './bluesky-outline.ts';
import { blueskyTextRules } from './bluesky-text-rules.ts';

const postCollection = 'app.bsky.feed.post';

// Handles are host names (alice.bsky.social); DIDs are accepted as typed.
const handleSyntax = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const didSyntax = /^did:(plc|web):[a-zA-Z0-9._:%-]{1,2000}$/;

async function profileOf(session: OAuthSession): Promise<NetworkProfile> {
  const { data } = await new Agent(session).getProfile({ actor: session.did });
  return {
    networkUserId: session.did,
    handle: data.handle,
    displayName: data.displayName === undefined || data.displayName === '' ? data.handle : data.displayName,
    followers: Math.max(0, data.followersCount ?? 0),
    server: (await session.getTokenInfo(false)).aud.replace(/\/+$/, ''),
  };
}

// Refused before connecting, so nothing was sent; the server moved inside the network, and stays refused.
const refusedServer: PublishOutcome = {
  kind: 'failed',
  reason: "the supporter's Bluesky server now has an address inside the network, so Chorus did not call it",
};

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error);
}

/** Bluesky: atproto OAuth (DPoP), one `app.bsky.feed.post` record per delivery, at a record key derived from it. */
export function createBlueskyNetwork(oauth: BlueskyOAuth): SocialNetwork {
  const serverChoice: ServerChoice = {
    ...blueskyOutline.serverChoice,
    async check(input) {
      const typed = input.trim().replace(/^@/, '');
      const handle = typed.startsWith('did:') ? typed : typed.toLowerCase();
      if (!handleSyntax.test(handle) && !didSyntax.test(handle))
        return { kind: 'refused', reason: 'that is not a Bluesky handle; type it like alice.bsky.social' };
      const found = await oauth.lookUp(handle);
      switch (found.kind) {
        case 'found':
          return { kind: 'accepted', server: handle };
        case 'not-found':
          return { kind: 'refused', reason: `${handle} could not be found on Bluesky; check the spelling` };
        case 'unreachable':
          return { kind: 'refused', reason: `${notReachableFromChorus} (${handle})` };
      }
    },
    textRules: async () => blueskyTextRules,
  };

  async function publishWith(session: OAuthSession, text: string, rkey: string): Promise<PublishOutcome> {
    const agent = new Agent(session);
    const rich = new RichText({ text });
    // Links and hashtags become facets with UTF-8 byte offsets; mentions are resolved to DIDs.
    // detectFacets is typed for the library's older client class; an Agent is what it documents passing.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    await rich.detectFacets(agent);
    const record = { $type: postCollection, text: rich.text, facets: rich.facets, createdAt: new Date().toISOString() };
    try {
      const { data } = await agent.com.atproto.repo.createRecord({ repo: session.did, collection: postCollection, rkey, record });
      return { kind: 'sent', postId: data.uri };
    } catch (error) {
      const status = statusOf(error);
      if (
        status === 401 ||
        error instanceof TokenInvalidError ||
        error instanceof TokenRevokedError ||
        error instanceof TokenRefreshError
      ) {
        return { kind: 'failed', reason: "Bluesky no longer accepts this supporter's authorisation" };
      }
      if (outboundRefusalIn(error) !== undefined) return refusedServer;
      if (status === 429) {
        const reset = Number((error as { headers?: Record<string, string> }).headers?.['ratelimit-reset']);
        const seconds = Number.isFinite(reset) && reset > 0 ? Math.max(1, Math.ceil(reset - Date.now() / 1000)) : 300;
        return { kind: 'retry-after', seconds, reason: "the Bluesky server's rate limit was reached" };
      }
      // An earlier attempt (or this one, whose answer was lost) may have made the record: its key is this delivery's.
      const existing = await findRecord(agent, session.did, rkey, text);
      if (existing !== undefined) return existing;
      if (status === undefined || status === 1 || status >= 500) {
        return {
          kind: 'retry-with-backoff',
          reason: `the Bluesky server did not answer or failed (${describe(error)}); the retry writes to the same record key`,
        };
      }
      return { kind: 'failed', reason: `Bluesky refused the post: ${status} ${describe(error)}` };
    }
  }

  async function findRecord(agent: Agent, did: string, rkey: string, text: string): Promise<PublishOutcome | undefined> {
    try {
      const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: postCollection, rkey });
      const found = (data.value as { text?: unknown }).text;
      if (found === text) return { kind: 'sent', postId: data.uri };
      return { kind: 'failed', reason: "the account already has a different post at this delivery's record key" };
    } catch (error) {
      const status = statusOf(error);
      if (status === 400 || status === 404) return undefined;
      return { kind: 'retry-with-backoff', reason: `could not check whether the post was made (${describe(error)})` };
    }
  }

  return {
    ...blueskyOutline,
    serverChoice,
    // Every attempt of a delivery writes to the same record key, and publish looks there after a failure.
    lookForPost: () => Promise.resolve({ kind: 'not-found' }),

    createAuthStrategy() {
      return createBlueskyStrategy(oauth, profileOf, (signIn, profile): AuthorisedAccount => ({
        tokens: { accessToken: signIn.stored, refreshToken: signIn.refreshToken, expiresAt: signIn.expiresAt, scopes: blueskyScope },
        profile,
        textRules: blueskyTextRules,
      }));
    },

    async refresh(tokens): Promise<RefreshOutcome> {
      try {
        const renewed = await oauth.refresh(tokens.accessToken);
        return {
          kind: 'refreshed',
          tokens: { accessToken: renewed.stored, refreshToken: renewed.refreshToken, expiresAt: renewed.expiresAt, scopes: tokens.scopes },
        };
      } catch (error) {
        if (error instanceof TokenRefreshError || error instanceof TokenRevokedError || error instanceof TokenInvalidError) {
          return { kind: 'revoked', reason: "the supporter's Bluesky authorisation can no longer be renewed" };
        }
        return { kind: 'retry-with-backoff', reason: `the Bluesky session could not be renewed now (${describe(error)})` };
      }
    },

    fetchProfile: (stored) => oauth.withSession(stored, profileOf),

    async publish(stored, text, context) {
      try {
        return await oauth.withSession(stored, (session) => publishWith(session, text, blueskyRecordKey(context.idempotencyKey)));
      } catch (error) {
        if (error instanceof TokenRefreshError || error instanceof TokenRevokedError || error instanceof TokenInvalidError) {
          return { kind: 'failed', reason: "Bluesky no longer accepts this supporter's authorisation" };
        }
        if (outboundRefusalIn(error) !== undefined) return refusedServer;
        // The session could not even be restored (the server's metadata was unreachable): nothing was sent.
        return { kind: 'retry-with-backoff', reason: `the Bluesky server could not be reached (${describe(error)})` };
      }
    },
  };
}
