import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Strategy, StrategyCreated } from 'passport';
import { OAuthCallbackError, type OAuthSession } from '@atproto/oauth-client-node';
import type { AuthorisedAccount, NetworkProfile } from '../social-network.ts';
import type { BlueskyOAuth, BlueskySignIn } from './bluesky-oauth.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    blueskyOAuthState: string;
  }
}

/**
 * The Bluesky consent flow as a passport strategy around the atproto OAuth client: on the way
 * out it resolves the handle (the connect route's `server` option) and redirects to the
 * account's own authorization server; on the way back it finishes the exchange and reads the
 * profile. The OAuth state is bound to this browser's session.
 */
export function createBlueskyStrategy(
  oauth: BlueskyOAuth,
  profileOf: (session: OAuthSession) => Promise<NetworkProfile>,
  account: (signIn: BlueskySignIn, profile: NetworkProfile) => AuthorisedAccount,
): Strategy {
  return {
    name: 'bluesky',
    authenticate(this: StrategyCreated<Strategy>, raw: unknown, options?: { server?: unknown }): void {
      // @fastify/passport hands strategies the Fastify request.
      const request = raw as FastifyRequest;
      const query = request.query as Record<string, unknown>;
      const returning = typeof query.state === 'string' && (typeof query.code === 'string' || typeof query.error === 'string');
      if (!returning) {
        const handle = options?.server;
        if (typeof handle !== 'string') {
          this.error(new Error('no Bluesky handle was given'));
          return;
        }
        const state = randomBytes(16).toString('base64url');
        request.session.set('blueskyOAuthState', state);
        oauth.authorize(handle, state).then(
          (url) => {
            this.redirect(url.toString());
          },
          (error: unknown) => {
            this.error(error instanceof Error ? error : new Error(String(error)));
          },
        );
        return;
      }
      const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const expected = request.session.get('blueskyOAuthState');
      request.session.set('blueskyOAuthState', undefined);
      oauth
        .callback(params, profileOf)
        .then((signIn) => {
          if (expected === undefined || signIn.state !== expected) {
            this.fail({ message: 'the sign-in state does not belong to this browser' }, 403);
            return;
          }
          this.success(account(signIn, signIn.used));
        })
        .catch((error: unknown) => {
          if (error instanceof OAuthCallbackError) {
            // The supporter said no (access_denied), or the state is unknown or spent.
            if (error.params.get('error') === 'access_denied') this.fail({ message: 'declined' }, 403);
            else this.fail({ message: `the sign-in state could not be used (${error.message})` }, 400);
            return;
          }
          this.error(error instanceof Error ? error : new Error(String(error)));
        });
    },
  };
}
