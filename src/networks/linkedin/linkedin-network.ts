import OAuth2Strategy, { type VerifyCallback } from 'passport-oauth2';
import type { NetworkProfile, RefreshOutcome, SocialNetwork, TokenSet } from '../social-network.ts';
import { fetchLinkedInUserInfo, postLinkedInShare, type LinkedInApi, type LinkedInUserInfo } from './linkedin-api-client.ts';
import { linkedInOutline } from './linkedin-outline.ts';

export interface LinkedInNetworkOptions extends LinkedInApi {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The consent page; the token endpoint is `accessToken` beside it, as on www.linkedin.com/oauth/v2/. */
  readonly authorizeUrl: string;
}

// w_member_social to post; openid and profile for the member id (`sub`) and name.
const scopes = ['openid', 'profile', 'w_member_social'];
// What LinkedIn grants when the token response does not say: 60 days.
const defaultLifetimeSeconds = 60 * 24 * 60 * 60;

/** LinkedIn: OAuth 2.0 (no PKCE for web apps), 60-day tokens mostly without refresh, the versioned Posts API. */
export function createLinkedInNetwork(options: LinkedInNetworkOptions): SocialNetwork {
  const tokenUrl = new URL('accessToken', options.authorizeUrl).toString();

  async function refresh(tokens: TokenSet): Promise<RefreshOutcome> {
    if (tokens.refreshToken === null) {
      return {
        kind: 'revoked',
        reason:
          'the LinkedIn authorisation expired (LinkedIn grants 60 days and no renewal); the supporter had to authorise again before launch',
      };
    }
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      }),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
    if (response === undefined || response.status >= 500)
      return { kind: 'retry-with-backoff', reason: "LinkedIn's token endpoint could not be reached" };
    if (!response.ok) return { kind: 'revoked', reason: 'LinkedIn refused to renew the authorisation' };
    const body = (await response.json()) as { access_token: string; expires_in?: number; refresh_token?: string; scope?: string };
    return {
      kind: 'refreshed',
      tokens: {
        accessToken: body.access_token,
        refreshToken: body.refresh_token ?? tokens.refreshToken,
        expiresAt: new Date(Date.now() + (body.expires_in ?? defaultLifetimeSeconds) * 1000),
        scopes: body.scope ?? tokens.scopes,
      },
    };
  }

  return {
    ...linkedInOutline,
    // The Posts API has no idempotency key, and these scopes cannot list a member's posts: a
    // post whose outcome is unknown is given up rather than risk posting it twice.
    lookForPost: () =>
      Promise.resolve({
        kind: 'failed',
        reason: 'LinkedIn did not confirm the post, and it cannot be checked without risking a second one',
      }),

    createAuthStrategy(callbackUrl) {
      return new OAuth2Strategy(
        {
          authorizationURL: options.authorizeUrl,
          tokenURL: tokenUrl,
          clientID: options.clientId,
          clientSecret: options.clientSecret,
          callbackURL: callbackUrl,
          scope: scopes,
          scopeSeparator: ' ',
          state: true,
          skipUserProfile: true,
        },
        // passport-oauth2 passes undefined when the token response has no refresh token.
        (
          accessToken: string,
          refreshToken: string | undefined,
          params: { expires_in?: number; scope?: string },
          _profile: unknown,
          done: VerifyCallback,
        ) => {
          fetchLinkedInUserInfo(options, accessToken).then(
            (info) => {
              done(null, {
                tokens: {
                  accessToken,
                  refreshToken: refreshToken === undefined || refreshToken === '' ? null : refreshToken,
                  expiresAt: new Date(Date.now() + (params.expires_in ?? defaultLifetimeSeconds) * 1000),
                  scopes: params.scope ?? scopes.join(' '),
                },
                profile: profileFromUserInfo(info),
              });
            },
            (error: unknown) => {
              done(error instanceof Error ? error : new Error(String(error)));
            },
          );
        },
      );
    },

    refresh,

    async fetchProfile(accessToken) {
      return profileFromUserInfo(await fetchLinkedInUserInfo(options, accessToken));
    },

    async publish(accessToken, text, context) {
      return postLinkedInShare(options, accessToken, context.account.networkUserId, text);
    },
  };
}

function profileFromUserInfo(info: LinkedInUserInfo): NetworkProfile {
  const name = info.name ?? ([info.given_name, info.family_name].filter(Boolean).join(' ') || 'LinkedIn member');
  // LinkedIn tells an app with these scopes nothing about a member's network size, so reach counts 0.
  return { networkUserId: info.sub, handle: name, displayName: name, followers: 0 };
}
