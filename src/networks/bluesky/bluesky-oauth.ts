import {
  buildAtprotoLoopbackClientMetadata,
  JoseKey,
  NodeOAuthClient,
  requestLocalLock,
  type NodeOAuthClientOptions,
  type NodeSavedSession,
  type NodeSavedStateStore,
  type OAuthClientMetadataInput,
  type OAuthSession,
} from '@atproto/oauth-client-node';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.ts';
import { blueskyClientMetadataPath, blueskyJwksPath } from './bluesky-client-paths.ts';
import { createBlueskyFetch } from './bluesky-fetch.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** What Chorus asks a Bluesky account for: create posts, and read profiles (for the follower count). */
export const blueskyScope = 'atproto repo:app.bsky.feed.post?action=create rpc:app.bsky.actor.getProfile?aud=*';

/** A supporter's Bluesky session as Chorus stores it in the pledge's (encrypted) credentials. */
interface StoredSession {
  readonly did: string;
  readonly session: NodeSavedSession;
}

export interface BlueskyOAuthOptions {
  /** Chorus's public address; an http://localhost or http://127.0.0.1 one makes Chorus the loopback development client. */
  readonly publicUrl: string;
  readonly stateStore: NodeSavedStateStore;
  /** Origins Chorus may call over plain http (a development PDS, PLC directory and AppView). */
  readonly localOrigins: readonly string[];
  readonly plcDirectoryUrl: string;
  /** A server answering com.atproto.identity.resolveHandle; without it, handles are resolved by DNS and https. */
  readonly handleResolver?: string;
  /** A PKCS#8 PEM ES256 private key: with it Chorus is a confidential client (private_key_jwt, longer sessions). */
  readonly privateKeyPem?: string;
  readonly requestTimeoutMs: number;
}

/** The supporter's sign-in finished: the blob that stores their session. */
export interface BlueskySignIn {
  readonly stored: string;
  readonly expiresAt: Date;
  readonly refreshToken: string | null;
  readonly state: string | null;
}

/** What looking up a handle found: the account and its servers, no such account, or a server Chorus will not call. */
export type HandleLookup = { readonly kind: 'found' } | { readonly kind: 'not-found' } | { readonly kind: 'unreachable' };

/** The atproto OAuth client as Chorus uses it: sign-ins, and sessions held in pledges rather than in a store of its own. */
export interface BlueskyOAuth {
  readonly clientMetadata: Readonly<OAuthClientMetadataInput>;
  /** The public keys behind a confidential client's assertions (none for a public client). */
  jwks(): Promise<unknown>;
  /**
   * Resolves a handle or DID as a sign-in would, up to its PDS and authorisation server's metadata, so
   * a handle whose servers are missing or inside the network is refused before the consent page.
   */
  lookUp(handle: string): Promise<HandleLookup>;
  authorize(handle: string, state: string): Promise<URL>;
  /** Finishes a sign-in and runs `use` with its session (to read the profile); the session is then only in the result. */
  callback<T>(params: URLSearchParams, use: (session: OAuthSession) => Promise<T>): Promise<BlueskySignIn & { readonly used: T }>;
  /** Runs `use` with the stored session, without refreshing it (the worker refreshes ahead, under the pledge's lock). */
  withSession<T>(stored: string, use: (session: OAuthSession) => Promise<T>): Promise<T>;
  /** Refreshes a stored session; the old refresh token is spent, so the result must be stored. */
  refresh(stored: string): Promise<{ stored: string; expiresAt: Date; refreshToken: string | null }>;
}

function isLoopback(publicUrl: string): boolean {
  const { protocol, hostname } = new URL(publicUrl);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

function callbackUrl(publicUrl: string): string {
  const url = new URL('auth/bluesky/callback', withTrailingSlash(publicUrl));
  // A loopback client may only name loopback addresses, never "localhost".
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.toString();
}

/** Reads the session's expiry, refresh token and DID into what the pledge's credentials keep. */
function toStored(did: string, session: NodeSavedSession) {
  const expires = session.tokenSet.expires_at;
  return {
    stored: JSON.stringify({ did, session } satisfies StoredSession),
    // Without an expiry the token is used until the server refuses it; an hour is what PDSes give.
    expiresAt: expires === undefined ? new Date(Date.now() + 60 * 60 * 1000) : new Date(expires),
    refreshToken: session.tokenSet.refresh_token ?? null,
  };
}

/** Builds the OAuth client once per process (on first use); sessions pass through it one account at a time. */
export function createBlueskyOAuth(options: BlueskyOAuthOptions): BlueskyOAuth {
  const redirectUri = callbackUrl(options.publicUrl);
  const confidential = options.privateKeyPem !== undefined;
  const clientMetadata: OAuthClientMetadataInput = isLoopback(options.publicUrl)
    ? buildAtprotoLoopbackClientMetadata({ scope: blueskyScope, redirect_uris: [redirectUri] })
    : {
        client_id: new URL(blueskyClientMetadataPath, options.publicUrl).toString(),
        client_name: 'Chorus',
        client_uri: options.publicUrl,
        redirect_uris: [redirectUri],
        scope: blueskyScope,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        application_type: 'web',
        dpop_bound_access_tokens: true,
        ...(!confidential
          ? { token_endpoint_auth_method: 'none' as const }
          : {
              token_endpoint_auth_method: 'private_key_jwt' as const,
              token_endpoint_auth_signing_alg: 'ES256',
              jwks_uri: new URL(blueskyJwksPath, options.publicUrl).toString(),
            }),
      };

  // Sessions live in pledges, not here: this map holds one only while an operation on it runs.
  const sessions = new Map<string, NodeSavedSession>();
  async function build(): Promise<NodeOAuthClient> {
    const key = options.privateKeyPem === undefined ? undefined : await JoseKey.fromImportable(options.privateKeyPem, 'chorus-1');
    return new NodeOAuthClient(clientOptions(key));
  }
  const clientOptions = (key: JoseKey | undefined): NodeOAuthClientOptions => ({
    clientMetadata,
    ...(key === undefined ? {} : { keyset: [key] }),
    stateStore: options.stateStore,
    sessionStore: {
      set: async (did, session) => void sessions.set(did, session),
      get: async (did) => sessions.get(did),
      del: async (did) => void sessions.delete(did),
    },
    requestLock: requestLocalLock,
    allowHttp: options.localOrigins.length > 0,
    plcDirectoryUrl: options.plcDirectoryUrl,
    fetch: createBlueskyFetch(options.localOrigins, options.requestTimeoutMs),
    ...(options.handleResolver === undefined ? {} : { handleResolver: options.handleResolver }),
  });
  let built: Promise<NodeOAuthClient> | undefined;
  const oauthClient = () => (built ??= build());

  // One operation per account at a time in this process, so two pledges of one account never
  // see each other's session in the shared map.
  const busy = new Map<string, Promise<unknown>>();
  async function oneAtATime<T>(did: string, run: () => Promise<T>): Promise<T> {
    const before = busy.get(did) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(run);
    busy.set(did, mine);
    try {
      return await mine;
    } finally {
      if (busy.get(did) === mine) busy.delete(did);
    }
  }

  function parse(stored: string): StoredSession {
    return JSON.parse(stored) as StoredSession;
  }

  return {
    clientMetadata,
    jwks: async () => (await oauthClient()).jwks,
    async lookUp(handle) {
      const client = await oauthClient();
      try {
        await client.oauthResolver.resolveFromIdentity(handle);
        return { kind: 'found' };
      } catch (error) {
        return outboundRefusalIn(error) === undefined ? { kind: 'not-found' } : { kind: 'unreachable' };
      }
    },
    authorize: async (handle, state) => (await oauthClient()).authorize(handle, { scope: blueskyScope, state }),
    async callback(params, use) {
      const { session, state } = await (await oauthClient()).callback(params);
      try {
        const used = await use(session);
        const saved = sessions.get(session.did);
        if (saved === undefined) throw new Error('the Bluesky sign-in finished without a session');
        return { state, used, ...toStored(session.did, saved) };
      } finally {
        sessions.delete(session.did);
      }
    },
    withSession(stored, use) {
      const { did, session } = parse(stored);
      return oneAtATime(did, async () => {
        sessions.set(did, session);
        try {
          return await use(await (await oauthClient()).restore(did, false));
        } finally {
          sessions.delete(did);
        }
      });
    },
    refresh(stored) {
      const { did, session } = parse(stored);
      return oneAtATime(did, async () => {
        sessions.set(did, session);
        try {
          await (await oauthClient()).restore(did, true);
          const renewed = sessions.get(did);
          if (renewed === undefined) throw new Error('the Bluesky server ended the session');
          return toStored(did, renewed);
        } finally {
          sessions.delete(did);
        }
      });
    },
  };
}
