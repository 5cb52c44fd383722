import type { Request } from 'express';
import type { Strategy, StrategyCreated } from 'passport';
import OAuth2Strategy, { type VerifyCallback } from 'passport-oauth2';
import type { AuthorisedAccount } from '../social-network.ts';
import type { MastodonApp } from './mastodon-api-client.ts';
import { mastodonScopes } from './mastodon-api-client.ts';

/** Turns a finished code exchange into the supporter's account on `origin`. */
export type MastodonVerify = (origin: string, accessToken: string, scope: string | undefined) => Promise<AuthorisedAccount>;

/**
 * One passport strategy for every instance: each instance has its own endpoints and its own
 * app, so `authenticate` builds (once per instance) a passport-oauth2 strategy for the
 * instance named in the `server` option and hands the request to it.
 */
export function createMastodonStrategy(
  callbackUrl: string,
  appFor: (origin: string) => Promise<MastodonApp>,
  verify: MastodonVerify,
): Strategy {
  const perInstance = new Map<string, OAuth2Strategy>();

  async function strategyFor(origin: string): Promise<OAuth2Strategy> {
    const app = await appFor(origin);
    const key = `${origin} ${app.clientId}`;
    const known = perInstance.get(key);
    if (known !== undefined) return known;
    const strategy = new OAuth2Strategy(
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
