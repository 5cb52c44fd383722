import type { Strategy, StrategyCreated } from 'passport';
import type { NetworkId } from './network-id.ts';
import type { NetworkOutline, SocialNetwork } from './social-network.ts';
import { loadOnFirstUse } from './load-on-first-use.ts';

/**
 * The networks configured on this Chorus. Each is known at once by its outline (name, length
 * rule, time-out, how a supporter names their server); its module, with the libraries it brings
 * (twitter-api-v2, the AT Protocol clients, passport strategies, undici), is imported only when
 * `load` is first called for it: a worker releasing an X campaign never loads Bluesky's libraries
 * (docs/performance.md: 165 MiB idle instead of 183, a quarter of the CommonJS modules).
 */
export interface NetworkRegistry {
  /** Every configured network's outline, in the order they were configured. */
  outlines(): readonly NetworkOutline[];
  /** A configured network's outline, or undefined when it is not configured here. */
  outline(id: NetworkId): NetworkOutline | undefined;
  /** A configured network's module, imported on the first call and kept; undefined when it is not configured here. */
  load(id: NetworkId): Promise<SocialNetwork | undefined>;
  /**
   * The network's passport strategy for `callbackUrl`, made when its first sign-in runs. Passport
   * takes strategies when the routes are registered, which is before any network should load.
   */
  authStrategy(id: NetworkId, callbackUrl: string): Strategy | undefined;
}

/** One configured network: its outline, and how to import its module. */
export interface NetworkEntry {
  readonly outline: NetworkOutline;
  readonly load: () => Promise<SocialNetwork>;
}

/** A registry of these networks, each module imported at most once. */
export function createNetworkRegistry(entries: readonly NetworkEntry[]): NetworkRegistry {
  const byId = new Map(
    entries.map((entry) => {
      // Strategies asked for before the module is loaded are made as soon as it is, before any
      // other call reaches it: Mastodon learns its callback address from createAuthStrategy and
      // needs it to check an instance.
      const held: { loaded?: SocialNetwork; readonly strategyRequests: { readonly callbackUrl: string; strategy?: Strategy }[] } = {
        strategyRequests: [],
      };
      const load = loadOnFirstUse(async () => {
        const network = await entry.load();
        for (const request of held.strategyRequests) request.strategy ??= network.createAuthStrategy(request.callbackUrl);
        held.loaded = network;
        return network;
      });
      return [entry.outline.id, { outline: entry.outline, load, held }] as const;
    }),
  );
  const outlines = entries.map((entry) => entry.outline);
  return {
    outlines: () => outlines,
    outline: (id) => byId.get(id)?.outline,
    load: async (id) => {
      const entry = byId.get(id);
      return entry === undefined ? undefined : entry.load();
    },
    authStrategy(id, callbackUrl) {
      const entry = byId.get(id);
      if (entry === undefined) return undefined;
      const request: (typeof entry.held.strategyRequests)[number] = { callbackUrl };
      if (entry.held.loaded !== undefined) request.strategy = entry.held.loaded.createAuthStrategy(callbackUrl);
      else entry.held.strategyRequests.push(request);
      return strategyMadeOnFirstUse(id, async () => {
        const network = await entry.load();
        return (request.strategy ??= network.createAuthStrategy(callbackUrl));
      });
    },
  };
}

/**
 * A passport strategy that waits for the real one, then runs it for this attempt: passport hands
 * each attempt its outcome callbacks (success, fail, redirect, pass, error) on a fresh object, and
 * the real strategy gets them on an object of its own, so its own state stays where it looks for it.
 */
function strategyMadeOnFirstUse(name: string, strategy: () => Promise<Strategy>): Strategy {
  return {
    name,
    authenticate(this: StrategyCreated<Strategy>, request, authenticateOptions?: unknown) {
      const { success, fail, redirect, pass, error } = this;
      strategy()
        .then((inner) => {
          // Typed by hand: passport's types leave a strategy's own `this` open.
          const attempt = Object.assign(Object.create(inner) as { authenticate(request: unknown, options?: unknown): unknown }, {
            success,
            fail,
            redirect,
            pass,
            error,
          });
          return attempt.authenticate(request, authenticateOptions);
        })
        .catch((failure: unknown) => {
          error(failure instanceof Error ? failure : new Error(String(failure)));
        });
    },
  };
}
