import type { Strategy, StrategyCreated } from 'passport';
import type { NetworkOutline, PublishContext, ServerChoice, SocialNetwork } from './social-network.ts';

/** Runs `load` the first time its result is asked for, and hands every caller that one result; a failed load is tried again on the next call. */
export function loadOnFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/**
 * A network whose module, with the libraries it brings (twitter-api-v2, the AT Protocol clients,
 * passport strategies, undici), is imported the first time Chorus calls the network rather than
 * at start-up: a worker releasing an X campaign never loads Bluesky's libraries. The outline
 * answers at once; every call waits for the module once, then goes to the network it built.
 * `reposts`: the loaded network has `repost` (X).
 */
export function lazyNetwork(
  outline: NetworkOutline,
  load: () => Promise<SocialNetwork>,
  options: { reposts?: boolean } = {},
): SocialNetwork {
  // Strategies asked for before the network is loaded are built as soon as it is, before any
  // other call reaches it: Mastodon learns its callback address from createAuthStrategy and
  // needs it to check an instance.
  const strategyRequests: { readonly callbackUrl: string; strategy?: Strategy }[] = [];
  let loaded: SocialNetwork | undefined;
  const network = loadOnFirstUse(async () => {
    const built = await load();
    for (const request of strategyRequests) request.strategy ??= built.createAuthStrategy(request.callbackUrl);
    loaded = built;
    return built;
  });

  async function serverChoice(): Promise<ServerChoice> {
    const choice = (await network()).serverChoice;
    if (choice === undefined) throw new Error(`the ${outline.displayName} module has no server choice, though its outline has one`);
    return choice;
  }

  // Every fact of the outline answers as it is; only the server choice gains calls to the module.
  const { serverChoice: serverChoiceOutline, ...facts } = outline;
  return {
    ...facts,
    async load() {
      await network();
    },

    createAuthStrategy(callbackUrl) {
      const request: (typeof strategyRequests)[number] = { callbackUrl };
      if (loaded !== undefined) request.strategy = loaded.createAuthStrategy(callbackUrl);
      else strategyRequests.push(request);
      return deferredStrategy(outline.id, async () => {
        const built = await network();
        return (request.strategy ??= built.createAuthStrategy(callbackUrl));
      });
    },
    refresh: async (tokens) => (await network()).refresh(tokens),
    fetchProfile: async (accessToken, server) => (await network()).fetchProfile(accessToken, server),
    publish: async (accessToken, text, context) => (await network()).publish(accessToken, text, context),
    lookForPost: async (accessToken, networkUserId, text, since) => (await network()).lookForPost(accessToken, networkUserId, text, since),
    ...(options.reposts !== true
      ? {}
      : {
          async repost(accessToken: string, postId: string, context: PublishContext) {
            const built = await network();
            if (built.repost === undefined)
              throw new Error(`the ${outline.displayName} module cannot repost, though it was wired as one that can`);
            return built.repost(accessToken, postId, context);
          },
        }),
    ...(serverChoiceOutline === undefined
      ? {}
      : {
          serverChoice: {
            ...serverChoiceOutline,
            check: async (input: string) => (await serverChoice()).check(input),
            textRules: async (server: string) => (await serverChoice()).textRules(server),
          },
        }),
  };
}

/**
 * A passport strategy that waits for the real one, then runs it for this attempt: passport hands
 * each attempt its outcome callbacks (success, fail, redirect, pass, error) on a fresh object, and
 * the real strategy gets them on an object of its own, so its own state stays where it looks for it.
 */
function deferredStrategy(name: string, strategy: () => Promise<Strategy>): Strategy {
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
