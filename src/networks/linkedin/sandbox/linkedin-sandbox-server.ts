import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readConsentAccount, renderSandboxConsentPage, renderSandboxErrorPage } from '../../sandbox/sandbox-consent-page.ts';
import { countCharacters, fromLinkedInCommentary } from '../linkedin-commentary.ts';

/** An app registered with the sandbox, as a developer registers one with LinkedIn. */
export interface LinkedInSandboxClient {
  clientId: string;
  clientSecret: string;
}

export interface LinkedInSandboxOptions {
  clients: LinkedInSandboxClient[];
  /** Lifetime of access tokens; LinkedIn's is 5,184,000 seconds (60 days). */
  accessTokenTtlSeconds?: number;
  logger?: boolean;
  now?: () => number;
}

/** A sandbox LinkedIn listening on a port. */
export interface RunningLinkedInSandbox {
  /** `LINKEDIN_API_URL`, ending with "/". */
  readonly url: string;
  /** `LINKEDIN_AUTHORIZE_URL`. */
  readonly authorizeUrl: string;
  close(): Promise<void>;
}

interface Member {
  readonly sub: string;
  readonly name: string;
}

interface Grant {
  readonly clientId: string;
  readonly sub: string;
  readonly scopes: readonly string[];
}

interface SandboxShare {
  readonly id: string;
  readonly author: string;
  readonly commentary: string;
  readonly createdAt: Date;
}

const knownScopes = new Set(['openid', 'profile', 'email', 'w_member_social']);
const token = () => randomBytes(32).toString('base64url');

function field(body: unknown, name: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Builds the sandbox LinkedIn: consent page, token endpoint, userinfo and the Posts API. */
export function buildLinkedInSandbox(options: LinkedInSandboxOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const ttlSeconds = options.accessTokenTtlSeconds ?? 5_184_000;
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const members = new Map<string, Member>();
  const codes = new Map<string, Grant & { redirectUri: string; expiresAtMs: number }>();
  const tokens = new Map<string, Grant & { expiresAtMs: number }>();
  const shares: SandboxShare[] = [];

  const app = Fastify({
    logger:
      options.logger === true
        ? { serializers: { req: (request) => ({ method: request.method, path: request.url.split('?', 1)[0] }) } }
        : false,
  });
  void app.register(formbody);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ status: 404, message: 'Resource not found' }));

  function parseAuthorization(params: unknown) {
    const client = clients.get(field(params, 'client_id') ?? '');
    if (client === undefined) return 'The passed in client_id is invalid.';
    const redirectUri = field(params, 'redirect_uri');
    if (redirectUri === undefined || !URL.canParse(redirectUri)) return 'The redirect_uri is missing or invalid.';
    if (field(params, 'response_type') !== 'code') return 'The response_type must be code.';
    const scopes = (field(params, 'scope') ?? '').split(/[ ,]+/).filter((scope) => scope !== '');
    if (scopes.length === 0 || scopes.some((scope) => !knownScopes.has(scope))) return 'The requested permission scope is not valid.';
    const state = field(params, 'state');
    const hidden: [string, string][] = [
      ['response_type', 'code'],
      ['client_id', client.clientId],
      ['redirect_uri', redirectUri],
      ['scope', scopes.join(' ')],
    ];
    if (state !== undefined) hidden.push(['state', state]);
    return {
      client,
      redirectUri,
      scopes,
      state,
      consent: { network: 'the LinkedIn sandbox', action: 'authorization', appName: 'Chorus', scopes, hiddenFields: hidden },
    };
  }

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  app.get('/oauth/v2/authorization', async (request, reply) => {
    const parsed = parseAuthorization(request.query);
    if (typeof parsed === 'string') return html(reply, 400, renderSandboxErrorPage(parsed));
    return html(reply, 200, renderSandboxConsentPage(parsed.consent, { username: '', followers: '0' }));
  });

  app.post('/oauth/v2/authorization', async (request, reply) => {
    const parsed = parseAuthorization(request.body);
    if (typeof parsed === 'string') return html(reply, 400, renderSandboxErrorPage(parsed));
    const target = new URL(parsed.redirectUri);
    if (parsed.state !== undefined) target.searchParams.set('state', parsed.state);
    if (field(request.body, 'decision') !== 'approve') {
      target.searchParams.set('error', 'user_cancelled_authorize');
      target.searchParams.set('error_description', 'The user cancelled the authorization');
      return reply.redirect(target.toString(), 302);
    }
    const account = readConsentAccount(request.body);
    if ('error' in account) return html(reply, 400, renderSandboxConsentPage(parsed.consent, account));
    // A stable member id per name, so a returning member is the same member.
    const sub = `sbx${Buffer.from(account.username.toLowerCase()).toString('hex').slice(0, 20)}`;
    members.set(sub, { sub, name: account.username });
    const code = token();
    codes.set(code, {
      clientId: parsed.client.clientId,
      sub,
      scopes: parsed.scopes,
      redirectUri: parsed.redirectUri,
      expiresAtMs: now() + 30 * 60 * 1000,
    });
    target.searchParams.set('code', code);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/oauth/v2/accessToken', async (request, reply) => {
    const body = request.body;
    const fail = (status: number, error: string, description: string) => reply.code(status).send({ error, error_description: description });
    const client = clients.get(field(body, 'client_id') ?? '');
    if (client === undefined || client.clientSecret !== field(body, 'client_secret'))
      return fail(401, 'invalid_client', 'Client authentication failed');
    if (field(body, 'grant_type') !== 'authorization_code')
      return fail(400, 'unsupported_grant_type', 'A required parameter "grant_type" is missing or unsupported');
    const code = codes.get(field(body, 'code') ?? '');
    codes.delete(field(body, 'code') ?? '');
    if (
      code === undefined ||
      code.expiresAtMs <= now() ||
      code.clientId !== client.clientId ||
      code.redirectUri !== field(body, 'redirect_uri')
    ) {
      return fail(400, 'invalid_request', 'Unable to retrieve access token: authorization code not found');
    }
    const accessToken = token();
    tokens.set(accessToken, { clientId: client.clientId, sub: code.sub, scopes: code.scopes, expiresAtMs: now() + ttlSeconds * 1000 });
    // No refresh token: LinkedIn gives those only to approved partners.
    return reply.send({ access_token: accessToken, expires_in: ttlSeconds, scope: code.scopes.join(','), token_type: 'Bearer' });
  });

  function grantOf(request: FastifyRequest) {
    const value = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const grant = value === undefined ? undefined : tokens.get(value);
    return grant !== undefined && grant.expiresAtMs > now() ? grant : undefined;
  }
  const problem = (reply: FastifyReply, status: number, message: string, code?: string) =>
    reply.code(status).send({ status, message, ...(code === undefined ? {} : { code, serviceErrorCode: 100 }) });

  app.get('/v2/userinfo', async (request, reply) => {
    const grant = grantOf(request);
    if (grant === undefined) return problem(reply, 401, 'Invalid access token', 'REVOKED_ACCESS_TOKEN');
    if (!grant.scopes.includes('openid') || !grant.scopes.includes('profile'))
      return problem(reply, 403, 'Not enough permissions to access: userinfo.GET.NO_VERSION', 'ACCESS_DENIED');
    const member = members.get(grant.sub);
    return reply.send({
      sub: grant.sub,
      name: member?.name ?? grant.sub,
      given_name: member?.name ?? '',
      family_name: '',
      locale: { country: 'GB', language: 'en' },
    });
  });

  app.post('/rest/posts', async (request, reply) => {
    const grant = grantOf(request);
    if (grant === undefined) return problem(reply, 401, 'Invalid access token', 'REVOKED_ACCESS_TOKEN');
    const version = request.headers['linkedin-version'];
    if (typeof version !== 'string' || !/^\d{6}(\.\d{2})?$/.test(version))
      return problem(
        reply,
        400,
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
        'VERSION_MISSING',
      );
    if (request.headers['x-restli-protocol-version'] !== '2.0.0')
      return problem(reply, 400, 'X-Restli-Protocol-Version must be 2.0.0 for this resource');
    if (!grant.scopes.includes('w_member_social'))
      return problem(reply, 403, 'Not enough permissions to access: partnerApiPostsExternal.CREATE', 'ACCESS_DENIED');
    const body = request.body as Record<string, unknown> | undefined;
    const author = field(body, 'author');
    if (author !== `urn:li:person:${grant.sub}`)
      return problem(reply, 403, `Unpermitted fields present in REQUEST_BODY: author ${author ?? ''} is not the member`, 'ACCESS_DENIED');
    const commentary = field(body, 'commentary') ?? '';
    if (field(body, 'lifecycleState') !== 'PUBLISHED' || field(body, 'visibility') === undefined)
      return problem(reply, 422, 'lifecycleState and visibility are required');
    if (countCharacters(fromLinkedInCommentary(commentary)) > 3000) return problem(reply, 422, 'commentary is longer than 3000 characters');
    const duplicate = shares.find((share) => share.author === author && share.commentary === commentary);
    if (duplicate !== undefined) return problem(reply, 422, `Content is a duplicate of ${duplicate.id}`, 'DUPLICATE_POST');
    const share = {
      id: `urn:li:share:${7_200_000_000_000_000_000n + BigInt(shares.length + 1)}`,
      author,
      commentary,
      createdAt: new Date(now()),
    };
    shares.push(share);
    return reply.code(201).header('x-restli-id', share.id).send();
  });

  app.get('/__sandbox/posts', async (_request, reply) =>
    reply.send({
      posts: shares.map((share) => ({
        id: share.id,
        author: share.author,
        name: members.get(share.author.replace('urn:li:person:', ''))?.name,
        commentary: share.commentary,
        text: fromLinkedInCommentary(share.commentary),
        createdAt: share.createdAt.toISOString(),
      })),
    }),
  );
  return app;
}

/** Starts the sandbox LinkedIn; port 0 (the default) picks a free port. */
export async function startLinkedInSandbox(
  options: LinkedInSandboxOptions & { port?: number; host?: string },
): Promise<RunningLinkedInSandbox> {
  const app = buildLinkedInSandbox(options);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The LinkedIn sandbox is not listening on a TCP port.');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  return { url, authorizeUrl: `${url}oauth/v2/authorization`, close: () => app.close() };
}
