import type { AuthorisedAccount, NetworkProfile, RefreshOutcome, SocialNetwork } from '../social-network.ts';
import { createMastodonApiClient, mastodonScopes, type MastodonAccount, type MastodonApp } from './mastodon-api-client.ts';
import type { MastodonAppStore } from './mastodon-app-store.ts';
import { createMastodonStrategy } from './mastodon-auth-strategy.ts';
import { checkInstance, type InstancePolicy } from './mastodon-instance.ts';
import { mastodonOutline } from './mastodon-outline.ts';
import { createOutboundGuard } from '../../outbound/outbound-guard.ts';
import { notReachableFromChorus, outboundRefusalIn } from '../../outbound/outbound-refusal.ts';
import { mastodonTextRules } from './mastodon-text-rules.ts';

export interface MastodonNetworkOptions {
  readonly apps: MastodonAppStore;
  readonly instances: InstancePolicy;
  /** Chorus's public address, shown on the instance as the app's website. */
  readonly website: string;
  /** Instances offered to supporters before they type their own. */
  readonly suggested: readonly string[];
}

// Mastodon access tokens do not expire; this stands for "until revoked".
const tokenLifetimeMs = 10 * 365 * 24 * 60 * 60 * 1000;

/** Mastodon: one OAuth app per instance, registered on first use; statuses posted with an Idempotency-Key. */
export function createMastodonNetwork(options: MastodonNetworkOptions): SocialNetwork {
  let redirectUri: string | undefined;
  // Every call to an instance, the code exchange included, checks as it connects that the address is public.
  const api = createMastodonApiClient(createOutboundGuard({ allowedOrigins: options.instances.localOrigins }));
  const registering = new Map<string, Promise<MastodonApp>>();

  async function appFor(origin: string): Promise<MastodonApp> {
    if (redirectUri === undefined) throw new Error('the Mastodon sign-in is not set up yet');
    const uri = redirectUri;
    const kept = await options.apps.find(origin, uri);
    if (kept !== undefined) return kept;
    // One registration per instance at a time from this process; the store settles races between processes.
    let pending = registering.get(origin);
    if (pending === undefined) {
      pending = api
        .registerApp(origin, { name: 'Chorus', redirectUri: uri, website: options.website })
        .then((app) => options.apps.keep(origin, uri, app))
        .finally(() => registering.delete(origin));
      registering.set(origin, pending);
    }
    return pending;
  }

  async function verify(origin: string, accessToken: string, scope: string | undefined): Promise<AuthorisedAccount> {
    const [account, maxCharacters] = await Promise.all([
      api.verifyCredentials(origin, accessToken),
      api.maxCharacters(origin).catch(() => undefined),
    ]);
    return {
      tokens: { accessToken, refreshToken: null, expiresAt: new Date(Date.now() + tokenLifetimeMs), scopes: scope ?? mastodonScopes },
      profile: profileFromAccount(origin, account),
      textRules: mastodonTextRules(maxCharacters),
    };
  }

  const outline = mastodonOutline(options.suggested);
  return {
    ...outline,
    // Every post carries the delivery's Idempotency-Key: posting again returns the first post
    // instead of making a second, so there is nothing to look for.
    lookForPost: () => Promise.resolve({ kind: 'not-found' }),
    serverChoice: {
      ...outline.serverChoice,
      async textRules(server) {
        return mastodonTextRules(await api.maxCharacters(server).catch(() => undefined));
      },
      async check(input) {
        const checked = await checkInstance(input, options.instances);
        if (checked.kind === 'refused') return checked;
        try {
          await appFor(checked.server);
          return checked;
        } catch (error) {
          if (outboundRefusalIn(error) !== undefined) return { kind: 'refused', reason: `${notReachableFromChorus} (${checked.server})` };
          const detail = error instanceof Error ? error.message : String(error);
          return { kind: 'refused', reason: `${checked.server} did not let Chorus register there (${detail})` };
        }
      },
    },

    createAuthStrategy(callbackUrl) {
      redirectUri = callbackUrl;
      return createMastodonStrategy(callbackUrl, appFor, verify, (origin, form) => api.exchangeCode(origin, form));
    },

    async refresh(): Promise<RefreshOutcome> {
      // Mastodon tokens live until revoked, so there is never a refresh to make.
      return { kind: 'revoked', reason: 'the Mastodon authorisation can no longer be used' };
    },

    async fetchProfile(accessToken, server) {
      if (server === undefined) throw new Error("a Mastodon profile is read from the account's own instance");
      return profileFromAccount(server, await api.verifyCredentials(server, accessToken));
    },

    async publish(accessToken, text, context) {
      if (context.account.server === null) return { kind: 'failed', reason: "the supporter's Mastodon instance is not known" };
      return api.postStatus(context.account.server, accessToken, text, context.idempotencyKey);
    },
  };
}

function profileFromAccount(origin: string, account: MastodonAccount): NetworkProfile {
  const host = new URL(origin).host;
  return {
    // Account ids are only unique within an instance.
    networkUserId: `${account.id}@${host}`,
    handle: `${account.username}@${host}`,
    displayName: account.display_name === '' ? account.username : account.display_name,
    followers: Math.max(0, account.followers_count),
    server: origin,
  };
}
