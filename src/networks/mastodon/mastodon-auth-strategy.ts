import type { Request } from 'express';
import type { Strategy, StrategyCreated } from 'passport';
import OAuth2Strategy, { type VerifyCallback } from 'passport-oauth2';
import type { AuthorisedAccount } from '../social-network.ts';
import type { MastodonApp } from './mastodon-api-client.ts';
import { mastodonScopes } from './mastodon-api-client.ts';

/** Turns a finished code exchange into the supporter's account on `origin`. */
export type MastodonVerify = (origin: string, accessToken: string, scope: string | undefined) => Promise<AuthorisedAccount>;

/** Posts the OAuth code exchange's form to `origin`'s token endpoint, answering the status and the body. */
export type MastodonCodeExchange = (origin: string, form: Readonly<Record<string, string>>) => Promise<{ status: number; body: string }>;

type TokenCallback = (error: unknown, accessToken?: string, refreshToken?: string, results?: Record<string, unknown>) => void;

/**
 * passport-oauth2 for one instance, but its code exchange goes through `exchange` (the Mastodon API
 * client, over the outbound guard), not node-oauth's own HTTP client, which connects wherever the
 * instance's name points at that moment. The answer is read as node-oauth reads it, so
 * passport-oauth2's handling of tokens and OAuth errors is unchanged.
 */
class InstanceStrategy extends OAuth2Strategy {
  constructor(
    options: OAuth2Strategy.StrategyOptions,
    verify: OAuth2Strategy.VerifyFunction,
    origin: string,
    exchange: MastodonCodeExchange,
  ) {
    super(options, verify);
    const client = { client_id: options.clientID, client_secret: options.clientSecret };
    const getOAuthAccessToken = (code: string, params: Record<string, string>, done: TokenCallback) => {
      exchange(origin, { ...params, ...client, code }).then(
        ({ status, body }) => {
          if (status < 200 || status > 299) {
            done({ statusCode: status, data: body });
            return;
          }
          let results: Record<string, unknown>;
          try {
            results = JSON.parse(body) as Record<string, unknown>;
          } catch {
            done({ statusCode: status, data: body });
            return;
          }
          const { refresh_token: refreshToken, ...rest } = results;
          done(
            null,
            typeof results.access_token === 'string' ? results.access_token : undefined,
            typeof refreshToken === 'string' ? refreshToken : undefined,
            rest,
          );
        },
        (error: unknown) => {
          done(error);
        },
      );
    };
    // node-oauth's method is replaced on this strategy's own client object (the protected `_oauth2`
    // that passport-oauth2 lets subclasses use); its overloaded type is not one a function can satisfy.
    Object.assign(this._oauth2, { getOAuthAccessToken });
  }
}

/**
 * One passport strategy for every instance: each instance has its own endpoints and its own
 * app, so `authenticate` builds (once per instance) a passport-oauth2 strategy for the
 * instance named in the `server` option and hands the request to it.
 */
export function createMastodonStrategy(
  callbackUrl: string,
  appFor: (origin: string) => Promise<MastodonApp>,
  verify: MastodonVerify,
  exchange: MastodonCodeExchange,
): Strategy {
  const perInstance = new Map<string, OAuth2Strategy>();

  async function strategyFor(origin: string): Promise<OAuth2Strategy> {
    const app = await appFor(origin);
    const key = `${origin} ${app.clientId}`;
    const known = perInstance.get(key);
    if (known !== undefined) return known;
    const strategy = new InstanceStrategy(
      {
        authorizationURL: `${origin}/oauth/authorize`,
        tokenURL: `${origin}/oauth/token`,
        clientID: app.clientId,
        clientSecret: app.clientSecret,
        callbackURL: callbackUrl,
        scope: mastodonScopes,
        state: true,
        pkce: true,
        skipUserProfile: true,
      },
      (accessToken: string, _refreshToken: string, params: { scope?: string }, _profile: unknown, done: VerifyCallback) => {
        verify(origin, accessToken, params.scope).then(
          (account) => {
            done(null, account);
          },
          (error: unknown) => {
            done(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
      origin,
      exchange,
    );
    perInstance.set(key, strategy);
    return strategy;
  }

  return {
    name: 'mastodon',
    authenticate(this: StrategyCreated<Strategy>, request: Request, options?: { server?: unknown }): void {
      const server = options?.server;
      if (typeof server !== 'string') {
        this.error(new Error('no Mastodon instance was chosen'));
        return;
      }
      strategyFor(server).then(
        (inner) => {
          // The framework gave this object its success/fail/redirect callbacks; lend them to the inner strategy.
          const delegate = Object.create(inner) as StrategyCreated<OAuth2Strategy>;
          delegate.success = this.success.bind(this);
          delegate.fail = this.fail.bind(this);
          delegate.redirect = this.redirect.bind(this);
          delegate.pass = this.pass.bind(this);
          delegate.error = this.error.bind(this);
          delegate.authenticate(request, options);
        },
        (error: unknown) => {
          this.error(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  };
}
