import type { IncomingHttpHeaders } from 'node:http';
import type { AppPostingPlan } from '../../domain/post-budget.ts';
import { Strategy as TwitterStrategy } from '@superfaceai/passport-twitter-oauth2';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  type TweetV2PostTweetResult,
  type TweetV2UserTimelineResult,
} from 'twitter-api-v2';
import type { PostLookupOutcome } from '../post-lookup-outcome.ts';
import type { AuthorisedAccount, NetworkProfile, RefreshOutcome, SocialNetwork, TokenSet } from '../social-network.ts';
import type { PublishOutcome } from '../publish-outcome.ts';
import { createXClient } from './x-api-client.ts';
import { isSamePost } from './x-post-match.ts';
import { xOutline } from './x-outline.ts';

export interface XNetworkOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Base of the API and token host, ending with "/" (https://api.x.com/ in production). */
  readonly apiUrl: string;
  /** The consent page (https://x.com/i/oauth2/authorize in production). */
  readonly authorizeUrl: string;
  /** After this, an unanswered request is given up (a post's outcome is then unknown). */
  readonly requestTimeoutMs?: number;
  /** The operator's app-wide plan with X: posts a window and price a post. */
  readonly appPlan: AppPostingPlan;
}

/** X's snowflake epoch: a post id encodes its creation time in milliseconds since then. */
const snowflakeEpochMs = 1288834974657n;

/** Posts older than the delivery by this much are not looked at (clock skew between X and Chorus). */
const lookupClockMarginMs = 10 * 60 * 1000;

// The passport strategy adds users.read itself, for the profile it reads.
const scopes = ['tweet.read', 'tweet.write', 'offline.access'];

// Error codes of a request that never reached X, so nothing can have been posted.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** X (Twitter): OAuth 2.0 with PKCE, rotating refresh tokens, POST /2/tweets through twitter-api-v2. */
export function createXNetwork(options: XNetworkOptions): SocialNetwork {
  const appClient = createXClient({ apiUrl: options.apiUrl, clientId: options.clientId, clientSecret: options.clientSecret });
  const timeout = options.requestTimeoutMs ?? 30_000;

  async function fetchProfile(accessToken: string): Promise<NetworkProfile> {
    const { data } = await createXClient({ apiUrl: options.apiUrl, accessToken }).v2.me({ 'user.fields': ['public_metrics'] });
    return profileFromUser(data);
  }

  return {
    ...xOutline(timeout, options.appPlan),

    createAuthStrategy(callbackUrl) {
      return new TwitterStrategy(
        {
          clientID: options.clientId,
          clientSecret: options.clientSecret,
          clientType: 'confidential',
          callbackURL: callbackUrl,
          authorizationURL: options.authorizeUrl,
          tokenURL: new URL('2/oauth2/token', options.apiUrl).toString(),
          userProfileURL: new URL('2/users/me?user.fields=public_metrics', options.apiUrl).toString(),
          scope: scopes,
        },
        // Five arguments: passport-oauth2 then passes the token response's params (expires_in, scope).
        verifyAuthorisation,
      );
    },

    async refresh(tokens): Promise<RefreshOutcome> {
      if (tokens.refreshToken === null) {
        return { kind: 'revoked', reason: 'X gave no refresh token, so the expired access cannot be renewed' };
      }
      try {
        const renewed = await appClient.refreshOAuth2Token(tokens.refreshToken);
        if (renewed.accessToken === '') return { kind: 'retry-with-backoff', reason: 'X answered a token refresh without an access token' };
        return {
          kind: 'refreshed',
          tokens: {
            accessToken: renewed.accessToken,
            // Never replace a refresh token with nothing: keep the old one if X sent none.
            refreshToken: renewed.refreshToken === undefined || renewed.refreshToken === '' ? tokens.refreshToken : renewed.refreshToken,
            expiresAt: new Date(Date.now() + renewed.expiresIn * 1000),
            scopes: renewed.scope.join(' '),
          },
        };
      } catch (error) {
        if (error instanceof ApiResponseError && (error.code === 400 || error.code === 401)) {
          return { kind: 'revoked', reason: "the supporter revoked Chorus's access on X before the launch" };
        }
        return { kind: 'retry-with-backoff', reason: `token refresh failed: ${describeError(error)}` };
      }
    },

    fetchProfile,

    async publish(accessToken, text): Promise<PublishOutcome> {
      try {
        const { data } = await createXClient({ apiUrl: options.apiUrl, accessToken }).v2.post<TweetV2PostTweetResult>(
          'tweets',
          { text },
          { timeout },
        );
        return { kind: 'sent', postId: data.id };
      } catch (error) {
        return classifyPublishError(error);
      }
    },

    async lookForPost(accessToken, networkUserId, text, since): Promise<PostLookupOutcome> {
      const sinceId = (BigInt(Math.max(0, since.getTime() - lookupClockMarginMs)) - snowflakeEpochMs) << 22n;
      try {
        // The newest 100 posts since the delivery began: a supporter does not post more than that in minutes.
        const timeline = await createXClient({ apiUrl: options.apiUrl, accessToken }).v2.get<TweetV2UserTimelineResult>(
          'users/:id/tweets',
          { max_results: 100, since_id: sinceId.toString() },
          { params: { id: networkUserId }, timeout },
        );
        // X leaves `data` out when there is no post, whatever twitter-api-v2's type says.
        const posts = (timeline as { data?: readonly { id: string; text: string }[] }).data ?? [];
        const match = posts.find((post) => isSamePost(text, post.text));
        return match === undefined ? { kind: 'not-found' } : { kind: 'found', postId: match.id };
      } catch (error) {
        return classifyLookupError(error);
      }
    },

    async repost(accessToken, postId, context): Promise<PublishOutcome> {
      try {
        await createXClient({ apiUrl: options.apiUrl, accessToken }).v2.post(
          'users/:id/retweets',
          { tweet_id: postId },
          { params: { id: context.account.networkUserId }, timeout },
        );
        // A repost has no post of its own: the delivery records the post it shared.
        return { kind: 'sent', postId };
      } catch (error) {
        return classifyPublishError(error);
      }
    },
  };
}

function verifyAuthorisation(
  accessToken: string,
  refreshToken: string,
  params: { expires_in?: number; scope?: string },
  profile: { _json: XUser },
  done: (error: Error | null, user?: AuthorisedAccount) => void,
): void {
  const tokens: TokenSet = {
    accessToken,
    refreshToken: refreshToken === '' ? null : refreshToken,
    expiresAt: new Date(Date.now() + (params.expires_in ?? 7200) * 1000),
    scopes: params.scope ?? [...scopes, 'users.read'].join(' '),
  };
  done(null, { tokens, profile: profileFromUser(profile._json) });
}

interface XUser {
  id: string;
  username: string;
  name: string;
  public_metrics?: { followers_count?: number };
}

function profileFromUser(user: XUser): NetworkProfile {
  return {
    networkUserId: user.id,
    handle: user.username,
    displayName: user.name,
    followers: user.public_metrics?.followers_count ?? 0,
  };
}

/** Sorts a failed POST /2/tweets into what the worker should do next. */
export function classifyPublishError(error: unknown): PublishOutcome {
  if (error instanceof ApiResponseError) {
    const detail = describeError(error);
    // X answers 402 when the app's prepaid credits ran out: every post of the app is refused until they are topped up.
    if (error.code === 402) {
      return {
        kind: 'network-paused',
        pause: { cause: 'out-of-credits', resumesAt: null, reason: `X refused the post for want of credits: ${detail}` },
      };
    }
    if (error.code === 429) {
      // A spent 24-hour cap resets at its own time, not at x-rate-limit-reset (the 15-minute window's).
      const appCap = spentDailyCap(error.headers, 'x-app-limit-24hour');
      if (appCap !== undefined) {
        return {
          kind: 'network-paused',
          pause: { cause: 'app-daily-cap', resumesAt: appCap.resetsAt, reason: "X's 24-hour post cap for the app is reached" },
        };
      }
      const userCap = spentDailyCap(error.headers, 'x-user-limit-24hour');
      if (userCap?.resetsAt != null) {
        return { kind: 'account-capped', resetsAt: userCap.resetsAt, reason: "X's 24-hour post cap for this account is reached" };
      }
      // X sends no Retry-After: the reset time is in x-rate-limit-reset (epoch seconds).
      const reset = error.rateLimit?.reset;
      const seconds = reset === undefined ? 60 : Math.max(1, Math.ceil(reset - Date.now() / 1000));
      return { kind: 'retry-after', seconds, reason: 'X rate limit reached' };
    }
    if (error.code >= 500) return { kind: 'unknown-outcome', reason: `X answered ${error.code} after the post was sent` };
    if (error.code === 401)
      return { kind: 'failed', reason: "X no longer accepts this supporter's authorisation (access revoked or expired)" };
    if (error.code === 403 && /duplicate content/i.test(detail))
      return { kind: 'already-posted', reason: `X refused the post as a duplicate: ${detail}` };
    if (error.code === 403) return { kind: 'failed', reason: `X forbade the post: ${detail}` };
    return { kind: 'failed', reason: `X refused the post: ${detail}` };
  }
  if (error instanceof ApiRequestError) {
    const cause = requestErrorOf(error);
    const code = cause?.code ?? '';
    // The request never left this machine, so nothing can have been posted.
    if (notSentCodes.has(code)) return { kind: 'retry-with-backoff', reason: `X could not be reached (${code})` };
    return { kind: 'unknown-outcome', reason: `the connection to X failed after sending (${code || (cause?.message ?? 'no detail')})` };
  }
  if (error instanceof ApiPartialResponseError) {
    return { kind: 'unknown-outcome', reason: "X's answer was cut off" };
  }
  return { kind: 'unknown-outcome', reason: describeError(error) };
}

/** Sorts a failed read of the account's recent posts into what the worker should do next. */
export function classifyLookupError(error: unknown): PostLookupOutcome {
  if (error instanceof ApiResponseError) {
    if (error.code === 402) {
      return {
        kind: 'network-paused',
        pause: {
          cause: 'out-of-credits',
          resumesAt: null,
          reason: `X refused to read the account for want of credits: ${describeError(error)}`,
        },
      };
    }
    if (error.code === 429) {
      const reset = error.rateLimit?.reset;
      return {
        kind: 'retry-after',
        seconds: reset === undefined ? 60 : Math.max(1, Math.ceil(reset - Date.now() / 1000)),
        reason: 'X rate limit reached while checking the account',
      };
    }
    // Whether an earlier attempt was published cannot be checked either way, but a 401 means the
    // authorisation itself is gone, which is what the organiser needs to read.
    if (error.code === 401) {
      return {
        kind: 'failed',
        reason:
          "X no longer accepts this supporter's authorisation (access revoked or expired), so whether an earlier attempt was published cannot be checked",
      };
    }
    if (error.code === 403) {
      return {
        kind: 'failed',
        reason: "X no longer lets Chorus read this supporter's account, so whether an earlier attempt was published cannot be checked",
      };
    }
  }
  return { kind: 'retry-with-backoff', reason: `checking the account on X failed: ${describeError(error)}` };
}

/**
 * A 24-hour cap X reports as spent in the headers `<prefix>-remaining` and `<prefix>-reset` (epoch
 * seconds), with when it resets if X said; undefined when the cap is not the one spent.
 */
function spentDailyCap(headers: IncomingHttpHeaders | undefined, prefix: string): { resetsAt: Date | null } | undefined {
  const remaining = headerValue(headers, `${prefix}-remaining`);
  if (remaining === undefined || remaining.trim() === '' || Number(remaining) !== 0) return undefined;
  const reset = Number(headerValue(headers, `${prefix}-reset`));
  return { resetsAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null };
}

function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The network error under an ApiRequestError. twitter-api-v2 1.29 stores it as `error` in its
 * options while its `requestError` getter reads `requestError`, so both are tried.
 */
function requestErrorOf(error: ApiRequestError): NodeJS.ErrnoException | undefined {
  const options = (error as unknown as { _options?: { error?: NodeJS.ErrnoException; requestError?: NodeJS.ErrnoException } })._options;
  return options?.requestError ?? options?.error;
}

function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) return requestErrorOf(error)?.message ?? error.message;
  if (error instanceof ApiResponseError) {
    const data = error.data as { detail?: string; errors?: { message?: string }[]; error_description?: string };
    return data.detail ?? data.errors?.[0]?.message ?? data.error_description ?? `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
