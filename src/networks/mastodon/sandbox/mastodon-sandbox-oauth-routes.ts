import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readConsentAccount, renderSandboxConsentPage, renderSandboxErrorPage } from '../../sandbox/sandbox-consent-page.ts';
import type { MastodonSandboxState, SandboxMastodonApp } from './mastodon-sandbox-state.ts';

const knownScopes = new Set(['read', 'write', 'follow', 'push', 'profile', 'read:accounts', 'write:statuses', 'read:statuses']);

function field(body: unknown, name: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

interface AuthorizationRequest {
  readonly app: SandboxMastodonApp;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
}

function parseAuthorization(params: unknown, state: MastodonSandboxState): AuthorizationRequest | string {
  const app = state.app(field(params, 'client_id') ?? '');
  if (app === undefined) return 'Client authentication failed due to unknown client.';
  const redirectUri = field(params, 'redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) return 'The redirect uri included is not valid.';
  if (field(params, 'response_type') !== 'code') return 'The authorization server does not support this response type.';
  const scopes = (field(params, 'scope') ?? 'read').split(/[ +]/).filter((scope) => scope !== '');
  if (scopes.some((scope) => !app.scopes.includes(scope))) return 'The requested scope is invalid, unknown, or malformed.';
  const codeChallenge = field(params, 'code_challenge');
  if (codeChallenge !== undefined && field(params, 'code_challenge_method') !== 'S256') return 'The code challenge method must be S256.';
  return { app, redirectUri, scopes, state: field(params, 'state'), codeChallenge };
}

function consentRequest(request: AuthorizationRequest) {
  const hidden: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', request.app.clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', request.scopes.join(' ')],
  ];
  if (request.state !== undefined) hidden.push(['state', request.state]);
  if (request.codeChallenge !== undefined) hidden.push(['code_challenge', request.codeChallenge], ['code_challenge_method', 'S256']);
  return { network: 'the Mastodon sandbox', action: 'authorize', appName: request.app.name, scopes: request.scopes, hiddenFields: hidden };
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** `POST /api/v1/apps`, the consent page at `/oauth/authorize`, and `POST /oauth/token`, as Mastodon (Doorkeeper) has them. */
export function registerMastodonSandboxOAuthRoutes(app: FastifyInstance, state: MastodonSandboxState): void {
  app.post('/api/v1/apps', async (request, reply) => {
    const body = request.body;
    const name = field(body, 'client_name');
    const rawUris: unknown = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).redirect_uris : undefined;
    const redirectUris = (Array.isArray(rawUris) ? rawUris : typeof rawUris === 'string' ? rawUris.split('\n') : []).filter(
      (uri): uri is string => typeof uri === 'string' && uri !== '',
    );
    const scopes = (field(body, 'scopes') ?? 'read').split(' ').filter((scope) => scope !== '');
    if (name === undefined) return reply.code(422).send({ error: "Validation failed: Application name can't be blank" });
    if (redirectUris.length === 0 || redirectUris.some((uri) => !URL.canParse(uri))) {
      return reply.code(422).send({ error: 'Validation failed: Redirect URI must be an absolute URI.' });
    }
    if (scopes.some((scope) => !knownScopes.has(scope))) return reply.code(422).send({ error: 'Validation failed: Scopes are invalid' });
    const registered = state.registerApp(name, redirectUris, scopes);
    return reply.send({
      id: registered.id,
      name,
      website: field(body, 'website') ?? null,
      scopes,
      redirect_uri: redirectUris.join('\n'),
      redirect_uris: redirectUris,
      client_id: registered.clientId,
      client_secret: registered.clientSecret,
    });
  });

  app.get('/oauth/authorize', async (request, reply) => {
    const parsed = parseAuthorization(request.query, state);
    if (typeof parsed === 'string') return html(reply, 400, renderSandboxErrorPage(parsed));
    return html(reply, 200, renderSandboxConsentPage(consentRequest(parsed), { username: '', followers: '100' }));
  });

  app.post('/oauth/authorize', async (request, reply) => {
    const parsed = parseAuthorization(request.body, state);
    if (typeof parsed === 'string') return html(reply, 400, renderSandboxErrorPage(parsed));
    const target = new URL(parsed.redirectUri);
    if (parsed.state !== undefined) target.searchParams.set('state', parsed.state);
    if (field(request.body, 'decision') !== 'approve') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
      return reply.redirect(target.toString(), 302);
    }
    const account = readConsentAccount(request.body);
    if ('error' in account) return html(reply, 400, renderSandboxConsentPage(consentRequest(parsed), account));
    const holder = state.upsertAccount(account.username, account.followers);
    const code = state.issueCode({
      clientId: parsed.app.clientId,
      accountId: holder.id,
      scopes: parsed.scopes,
      redirectUri: parsed.redirectUri,
      codeChallenge: parsed.codeChallenge,
    });
    target.searchParams.set('code', code);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/oauth/token', async (request, reply) => {
    const body = request.body;
    const fail = (status: number, error: string, description: string) => reply.code(status).send({ error, error_description: description });
    let clientId = field(body, 'client_id');
    let clientSecret = field(body, 'client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (basic !== undefined) {
      const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      clientSecret = decodeURIComponent(secret);
    }
    const client = state.app(clientId ?? '');
    if (client === undefined || client.clientSecret !== clientSecret)
      return fail(
        401,
        'invalid_client',
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      );
    if (field(body, 'grant_type') !== 'authorization_code')
      return fail(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    const code = state.redeemCode(field(body, 'code') ?? '');
    const invalidGrant = () =>
      fail(
        400,
        'invalid_grant',
        'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
      );
    if (code === undefined || code.clientId !== client.clientId || code.redirectUri !== field(body, 'redirect_uri')) return invalidGrant();
    if (code.codeChallenge !== undefined) {
      const verifier = field(body, 'code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return invalidGrant();
    }
    const accessToken = state.issueToken({ clientId: client.clientId, accountId: code.accountId, scopes: code.scopes });
    return reply.header('cache-control', 'no-store').send({
      access_token: accessToken,
      token_type: 'Bearer',
      scope: code.scopes.join(' '),
      created_at: Math.floor(Date.now() / 1000),
    });
  });
}
