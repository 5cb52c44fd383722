import { exactNetworkText } from '../../domain/network-text.ts';
import type { OutboundGuard } from '../../outbound/outbound-guard.ts';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.ts';
import type { PublishOutcome } from '../publish-outcome.ts';
import { mastodonRequestTimeoutMs } from './mastodon-outline.ts';

/** The OAuth scopes Chorus asks a Mastodon account for: post, and read who it is. */
export const mastodonScopes = 'write:statuses read:accounts';

/** An OAuth app as an instance registered it. */
export interface MastodonApp {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The fields of a Mastodon Account that Chorus reads. */
export interface MastodonAccount {
  readonly id: string;
  readonly username: string;
  readonly acct: string;
  readonly display_name: string;
  readonly followers_count: number;
}

/** Raised when an instance answers a request Chorus needs with an error. */
export class MastodonRequestError extends Error {
  override name = 'MastodonRequestError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok)
    throw new MastodonRequestError(response.status, `${what}: the instance answered ${response.status} ${await errorText(response)}`);
  return (await response.json()) as T;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown };
  return typeof body.error === 'string' ? `(${body.error.slice(0, 200)})` : '';
}

/** The calls Chorus makes to Mastodon instances. */
export type MastodonApiClient = ReturnType<typeof createMastodonApiClient>;

/**
 * The Mastodon API as Chorus uses it: every call, the OAuth code exchange included, goes through
 * `outbound`, which refuses to connect to an address inside the network unless the instance is a
 * listed local one (src/outbound/outbound-guard.ts).
 */
export function createMastodonApiClient(outbound: OutboundGuard) {
  async function call(origin: string, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
    const { token, ...request } = init;
    const headers = new Headers(request.headers);
    headers.set('accept', 'application/json');
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    return outbound.fetch(new URL(path, `${origin}/`), {
      ...request,
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(mastodonRequestTimeoutMs),
    });
  }

  return {
    /** Registers Chorus as an OAuth app on an instance (`POST /api/v1/apps`). */
    async registerApp(origin: string, app: { name: string; redirectUri: string; website: string }): Promise<MastodonApp> {
      const response = await call(origin, 'api/v1/apps', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: app.name, redirect_uris: app.redirectUri, scopes: mastodonScopes, website: app.website }),
      });
      const body = await json<{ client_id: string; client_secret: string }>(response, 'registering Chorus on the instance');
      // The client id is sent back to the instance as it came, so it is kept exactly or not at all (mastodon_apps).
      const clientId = typeof body.client_id === 'string' ? exactNetworkText(body.client_id) : null;
      if (clientId === null)
        throw new MastodonRequestError(502, 'registering Chorus on the instance: it answered a client id Chorus cannot keep');
      return { clientId, clientSecret: body.client_secret };
    },

    /**
     * The OAuth code exchange (`POST /oauth/token` with `form`, the whole OAuth form), for passport-oauth2:
     * the status and the body as text, which passport-oauth2 reads as it reads its own client's answers.
     */
    async exchangeCode(origin: string, form: Readonly<Record<string, string>>): Promise<{ status: number; body: string }> {
      const response = await call(origin, 'oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: response.status, body: await response.text() };
    },

    /** The instance's status length limit (`GET /api/v2/instance`). */
    async maxCharacters(origin: string): Promise<number | undefined> {
      const response = await call(origin, 'api/v2/instance');
      const body = await json<{ configuration?: { statuses?: { max_characters?: unknown } } }>(response, "reading the instance's limits");
      const max = body.configuration?.statuses?.max_characters;
      return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : undefined;
    },

    /** The account a token belongs to (`GET /api/v1/accounts/verify_credentials`). */
    async verifyCredentials(origin: string, token: string): Promise<MastodonAccount> {
      return json<MastodonAccount>(await call(origin, 'api/v1/accounts/verify_credentials', { token }), 'reading the account');
    },

    /**
     * Publishes a public status (`POST /api/v1/statuses`). The Idempotency-Key makes a retry
     * of a request whose answer was lost return the status already made instead of a second one,
     * so lost answers and 5xx are retried rather than left unknown.
     */
    async postStatus(origin: string, token: string, text: string, idempotencyKey: string): Promise<PublishOutcome> {
      let response: Response;
      try {
        response = await call(origin, 'api/v1/statuses', {
          method: 'POST',
          token,
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ status: text, visibility: 'public' }),
        });
      } catch (error) {
        if (outboundRefusalIn(error) !== undefined)
          return {
            kind: 'failed',
            reason: "the supporter's instance now resolves to an address inside the network, so Chorus did not call it",
          };
        const cause =
          error instanceof Error && error.cause instanceof Error
            ? error.cause.message
            : error instanceof Error
              ? error.message
              : String(error);
        return {
          kind: 'retry-with-backoff',
          reason: `the instance could not be reached or did not answer (${cause}); the retry carries the same Idempotency-Key`,
        };
      }
      if (response.ok) {
        const status = (await response.json()) as { id: string };
        return { kind: 'sent', postId: status.id };
      }
      const detail = await errorText(response);
      if (response.status === 429) {
        const reset = Date.parse(response.headers.get('x-ratelimit-reset') ?? '');
        const seconds = Number.isNaN(reset) ? 300 : Math.max(1, Math.ceil((reset - Date.now()) / 1000));
        return { kind: 'retry-after', seconds, reason: "the instance's rate limit was reached" };
      }
      if (response.status >= 500) {
        return {
          kind: 'retry-with-backoff',
          reason: `the instance answered ${response.status}; the retry carries the same Idempotency-Key`,
        };
      }
      if (response.status === 401) return { kind: 'failed', reason: "the instance no longer accepts this supporter's authorisation" };
      return { kind: 'failed', reason: `the instance refused the post: ${response.status} ${detail}`.trim() };
    },
  };
}
