import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { nonEmptyField } from './x-sandbox-fields.ts';
import type { IssuedTokens, XSandboxClient, XSandboxState } from './x-sandbox-state.ts';

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

interface OAuthError {
  status: 400 | 401;
  error: OAuthErrorCode;
  description: string;
}

/** RFC 7636 section 4.1. */
const codeVerifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Registers the token and revocation endpoints. Bodies may be JSON (twitter-api-v2) or
 * form-encoded (passport-oauth2); X takes both.
 */
export function registerTokenRoutes(app: FastifyInstance, state: XSandboxState): void {
  app.post('/2/oauth2/token', async (request, reply) => {
    const body = request.body;
    const client = authenticateClient(request.headers.authorization, body, state);
    if ('error' in client) return sendOAuthError(reply, client);

    const grantType = nonEmptyField(body, 'grant_type');
    let outcome: IssuedTokens | OAuthError;
    switch (grantType) {
      case 'authorization_code':
        outcome = exchangeCode(body, client, state);
        break;
      case 'refresh_token':
        outcome = refresh(body, client, state);
        break;
      case undefined:
        outcome = invalidRequest('Missing required parameter [grant_type].');
        break;
      default:
        outcome = { status: 400, error: 'unsupported_grant_type', description: `Unsupported grant_type [${grantType}].` };
    }
    if ('error' in outcome) return sendOAuthError(reply, outcome);
    return reply.header('cache-control', 'no-store').send({
      token_type: 'bearer',
      expires_in: outcome.expiresInSeconds,
      access_token: outcome.accessToken,
      scope: outcome.scopes.join(' '),
      ...(outcome.refreshToken === undefined ? {} : { refresh_token: outcome.refreshToken }),
    });
  });

  app.post('/2/oauth2/revoke', async (request, reply) => {
    const client = authenticateClient(request.headers.authorization, request.body, state);
    if ('error' in client) return sendOAuthError(reply, client);
    const token = nonEmptyField(request.body, 'token');
    if (token === undefined) return sendOAuthError(reply, invalidRequest('Missing required parameter [token].'));
    state.revokeToken(token, client.clientId);
    return reply.send({ revoked: true });
  });
}

/**
 * Confidential clients send HTTP Basic (passport-oauth2 and twitter-api-v2 also repeat
 * the credentials in the body); public clients send only `client_id` in the body.
 */
function authenticateClient(authorization: string | undefined, body: unknown, state: XSandboxState): XSandboxClient | OAuthError {
  const bodyClientId = nonEmptyField(body, 'client_id');
  const bodyClientSecret = nonEmptyField(body, 'client_secret');
  const basic = parseBasicCredentials(authorization);
  if (basic === 'malformed') return invalidClient('Malformed Basic authorization header.');

  const clientIds = basic?.clientIds ?? (bodyClientId === undefined ? [] : [bodyClientId]);
  if (clientIds.length === 0) return invalidClient('Missing valid authorization header.');
  const client = clientIds.map((id) => state.client(id)).find((found) => found !== undefined);
  if (client === undefined) return invalidClient('Unknown client.');
  if (bodyClientId !== undefined && bodyClientId !== client.clientId) {
    return invalidClient('The client_id in the body does not match the authorization header.');
  }
  if (basic !== undefined && !basic.clientSecrets.some((secret) => sameSecret(secret, client.clientSecret))) {
    return invalidClient('Client authentication failed.');
  }
  if (bodyClientSecret !== undefined && !sameSecret(bodyClientSecret, client.clientSecret)) {
    return invalidClient('Client authentication failed.');
  }
  return client;
}

/**
 * RFC 6749 form-encodes id and secret before base64; twitter-api-v2 does, passport does
 * not. Both readings are candidates, so a secret with `%` or `+` works from either.
 */
function parseBasicCredentials(
  authorization: string | undefined,
): { clientIds: string[]; clientSecrets: string[] } | 'malformed' | undefined {
  if (authorization === undefined || !/^basic\b/i.test(authorization)) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (match?.[1] === undefined) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return {
    clientIds: readings(decoded.slice(0, colon)),
    clientSecrets: readings(decoded.slice(colon + 1)),
  };
}

function readings(raw: string): string[] {
  let formDecoded: string;
  try {
    formDecoded = decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return [raw];
  }
  return formDecoded === raw ? [raw] : [raw, formDecoded];
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function exchangeCode(body: unknown, client: XSandboxClient, state: XSandboxState): IssuedTokens | OAuthError {
  const code = nonEmptyField(body, 'code');
  const redirectUri = nonEmptyField(body, 'redirect_uri');
  const codeVerifier = nonEmptyField(body, 'code_verifier');
  if (code === undefined) return invalidRequest('Missing required parameter [code].');
  if (redirectUri === undefined) return invalidRequest('Missing required parameter [redirect_uri].');
  if (codeVerifier === undefined) return invalidRequest('Missing required parameter [code_verifier].');

  const grant = state.redeemCode(code);
  if (grant === undefined) return invalidGrant('Value passed for the authorization code was invalid.');
  if (grant.clientId !== client.clientId) return invalidGrant('The authorization code was issued to another client.');
  if (grant.redirectUri !== redirectUri) return invalidGrant('The redirect_uri does not match the authorization request.');
  if (!codeVerifierPattern.test(codeVerifier)) return invalidGrant('The code_verifier is malformed.');
  const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
  if (challenge !== grant.codeChallenge) return invalidGrant('The code_verifier does not match the code_challenge.');

  return state.issueTokens({ clientId: client.clientId, userId: grant.userId, scopes: grant.scopes });
}

function refresh(body: unknown, client: XSandboxClient, state: XSandboxState): IssuedTokens | OAuthError {
  const refreshToken = nonEmptyField(body, 'refresh_token');
  if (refreshToken === undefined) return invalidRequest('Missing required parameter [refresh_token].');
  return state.rotateRefreshToken(refreshToken, client.clientId) ?? invalidGrant('Value passed for the token was invalid.');
}

function invalidRequest(description: string): OAuthError {
  return { status: 400, error: 'invalid_request', description };
}

function invalidGrant(description: string): OAuthError {
  return { status: 400, error: 'invalid_grant', description };
}

function invalidClient(description: string): OAuthError {
  return { status: 401, error: 'invalid_client', description };
}

function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return reply.code(error.status).header('cache-control', 'no-store').send({ error: error.error, error_description: error.description });
}
