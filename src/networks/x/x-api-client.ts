import { Agent } from 'node:http';
import {
  TwitterApi,
  type IClientSettings as ITwitterApiClientSettings,
  type IGetHttpRequestArgs,
  type ITwitterApiClientPlugin,
} from 'twitter-api-v2';

/** X's API host, which twitter-api-v2 also uses for the OAuth 2.0 token endpoint. */
export const defaultXApiUrl = 'https://api.x.com/';

/** Where to send requests, and as whom: a user's access token, or the app's OAuth 2.0 client credentials. */
export type XClientOptions = { apiUrl: string; accessToken: string } | { apiUrl: string; clientId: string; clientSecret: string };

/** Hosts whose requests follow `apiUrl`; twitter-api-v2 1.29 uses api.x.com, older releases api.twitter.com. */
const apiHosts = new Set(['api.x.com', 'api.twitter.com']);

/**
 * One keep-alive agent for every plain-HTTP client: Chorus makes a client per access
 * token, and an agent per client would open a connection per post.
 */
let plainHttpAgent: Agent | undefined;

/** A twitter-api-v2 client whose API and token requests go to `apiUrl` (X itself, or a sandbox). */
export function createXClient(options: XClientOptions): TwitterApi {
  const base = new URL(options.apiUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const settings: Partial<ITwitterApiClientSettings> = {};
  if (base.href !== defaultXApiUrl) {
    settings.plugins = [redirectApiHostPlugin(base)];
    // twitter-api-v2 always calls https.request, which accepts http: URLs only with an http.Agent.
    if (base.protocol === 'http:') settings.httpAgent = plainHttpAgent ??= new Agent({ keepAlive: true });
  }
  return 'accessToken' in options
    ? new TwitterApi(options.accessToken, settings)
    : new TwitterApi({ clientId: options.clientId, clientSecret: options.clientSecret }, settings);
}

function redirectApiHostPlugin(base: URL): ITwitterApiClientPlugin {
  const redirect = (params: IGetHttpRequestArgs): void => {
    // Same leniency as twitter-api-v2, which reads a URL without a scheme as https.
    const original = new URL(params.url.startsWith('http') ? params.url : `https://${params.url}`);
    if (!apiHosts.has(original.hostname)) return;
    // twitter-api-v2 picks the body encoding from the path, after this hook: behind a base
    // with a path prefix, /2/ endpoints would be form-encoded instead of JSON.
    if (base.pathname !== '/' && params.forceBodyMode === undefined && /^\/(labs\/)?2\//.test(original.pathname)) {
      params.forceBodyMode = 'json';
    }
    params.url = new URL(original.pathname.slice(1) + original.search, base).href;
  };
  return {
    onBeforeRequestConfig: ({ params }) => {
      redirect(params);
    },
    onBeforeStreamRequestConfig: ({ params }) => {
      redirect(params);
    },
  };
}
