import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { measureMastodonStatus } from '../mastodon-text-rules.ts';
import type { MastodonSandboxState, SandboxMastodonAccount } from './mastodon-sandbox-state.ts';

interface ApiRules {
  readonly maxCharacters: number;
  readonly statusRateLimit: { readonly limit: number; readonly windowSeconds: number };
  readonly now: () => number;
}

function field(body: unknown, name: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The REST endpoints Chorus calls: the instance's limits, the signed-in account, and posting
 * a status with an Idempotency-Key; plus `/__sandbox/*` hooks for tests and the demo.
 */
export function registerMastodonSandboxApiRoutes(app: FastifyInstance, state: MastodonSandboxState, rules: ApiRules): void {
  const postedAt = new Map<string, number[]>();

  function authorised(request: FastifyRequest, reply: FastifyReply, scopes: readonly string[]): SandboxMastodonAccount | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : state.grant(token);
    const account = grant === undefined ? undefined : state.account(grant.accountId);
    if (grant === undefined || account === undefined) {
      void reply.code(401).send({ error: 'The access token is invalid' });
      return undefined;
    }
    if (!grant.scopes.some((scope) => scopes.includes(scope))) {
      void reply.code(403).send({ error: 'This action is outside the authorized scopes' });
      return undefined;
    }
    return account;
  }

  app.get('/api/v2/instance', async (request, reply) =>
    reply.send({
      domain: request.host,
      title: 'Chorus Mastodon sandbox',
      version: '4.3.0 (compatible; Chorus sandbox)',
      configuration: { statuses: { max_characters: rules.maxCharacters, max_media_attachments: 4, characters_reserved_per_url: 23 } },
    }),
  );

  app.get('/api/v1/accounts/verify_credentials', async (request, reply) => {
    const account = authorised(request, reply, ['read', 'read:accounts', 'profile']);
    if (account === undefined) return reply;
    return reply.send({
      id: account.id,
      username: account.username,
      acct: account.username,
      display_name: account.username,
      followers_count: account.followers,
      following_count: 0,
      statuses_count: state.statusCount(account.id),
      url: `http://${request.host}/@${account.username}`,
    });
  });

  app.post('/api/v1/statuses', async (request, reply) => {
    const account = authorised(request, reply, ['write', 'write:statuses']);
    if (account === undefined) return reply;
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : undefined;
    if (idempotencyKey !== undefined) {
      const earlier = state.statusForKey(account.id, idempotencyKey);
      if (earlier !== undefined) return reply.send(statusBody(earlier.id, earlier.text, account, request.host));
    }

    const now = rules.now();
    const windowMs = rules.statusRateLimit.windowSeconds * 1000;
    const recent = (postedAt.get(account.id) ?? []).filter((at) => at > now - windowMs);
    postedAt.set(account.id, recent);
    reply.header('x-ratelimit-limit', String(rules.statusRateLimit.limit));
    reply.header('x-ratelimit-remaining', String(Math.max(0, rules.statusRateLimit.limit - recent.length - 1)));
    reply.header('x-ratelimit-reset', new Date((recent[0] ?? now) + windowMs).toISOString());
    if (recent.length >= rules.statusRateLimit.limit) return reply.code(429).send({ error: 'Too many requests' });

    const text = field(request.body, 'status') ?? '';
    if (text.trim() === '') return reply.code(422).send({ error: "Validation failed: Text can't be blank" });
    if (measureMastodonStatus(text) > rules.maxCharacters) {
      return reply.code(422).send({ error: `Validation failed: Text character limit of ${rules.maxCharacters} exceeded` });
    }
    const visibility = field(request.body, 'visibility') ?? 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility))
      return reply.code(422).send({ error: 'Validation failed: Visibility is not included in the list' });
    const status = state.recordStatus(account.id, text, visibility, idempotencyKey);
    recent.push(now);
    if (state.answersToLose > 0) {
      // The status exists, but the client never hears so: only its Idempotency-Key can tell.
      state.answersToLose -= 1;
      return reply.code(503).send({ error: 'Service Unavailable' });
    }
    return reply.send(statusBody(status.id, text, account, request.host));
  });

  app.get('/__sandbox/statuses', async (_request, reply) =>
    reply.send({
      statuses: state.allStatuses().map((status) => ({
        id: status.id,
        text: status.text,
        visibility: status.visibility,
        username: state.account(status.accountId)?.username,
        idempotencyKey: status.idempotencyKey,
        createdAt: status.createdAt.toISOString(),
      })),
    }),
  );
  app.get('/__sandbox/apps', async (_request, reply) => reply.send({ count: state.appCount() }));
  app.post('/__sandbox/lose-answers', async (request, reply) => {
    const count = Number(field(request.body, 'count') ?? (request.body as { count?: unknown } | undefined)?.count);
    if (!Number.isInteger(count) || count < 0) return reply.code(400).send({ error: 'Send {"count": n}.' });
    state.answersToLose = count;
    return reply.send({ answersToLose: count });
  });
}

function statusBody(id: string, text: string, account: SandboxMastodonAccount, host: string) {
  return {
    id,
    uri: `http://${host}/users/${account.username}/statuses/${id}`,
    content: `<p>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`,
    visibility: 'public',
    account: { id: account.id, username: account.username, acct: account.username },
  };
}
