import { stringField } from './x-sandbox-fields.ts';
import { parseScopeParameter, xScopeDescriptions } from './x-sandbox-scopes.ts';
import type { XSandboxClient, XSandboxState } from './x-sandbox-state.ts';

/** A validated `/i/oauth2/authorize` request, carried from the consent page to the code. */
export interface AuthorizationRequest {
  readonly client: XSandboxClient;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly codeChallenge: string;
}

/** The outcome of validating an authorisation request: the request, or why it is refused. */
export type AuthorizationRequestResult = { ok: true; request: AuthorizationRequest } | { ok: false; reason: string };

/** RFC 7636: a S256 challenge is the base64url SHA-256 digest, 43 characters. */
const s256ChallengePattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Validates the OAuth parameters, from the query of the GET or the hidden fields of the
 * POST. The reasons are shown to a person on an error page.
 */
export function parseAuthorizationRequest(source: unknown, state: XSandboxState): AuthorizationRequestResult {
  const responseType = stringField(source, 'response_type');
  const clientId = stringField(source, 'client_id');
  const redirectUri = stringField(source, 'redirect_uri');
  const scope = stringField(source, 'scope');
  const requestState = stringField(source, 'state');
  const codeChallenge = stringField(source, 'code_challenge');
  const codeChallengeMethod = stringField(source, 'code_challenge_method');

  if (clientId === undefined || clientId === '') return refuse('The client_id parameter is missing.');
  const client = state.client(clientId);
  if (client === undefined) return refuse(`No app is registered with the client_id "${clientId}".`);
  if (responseType !== 'code') return refuse('The response_type parameter must be "code".');
  if (redirectUri === undefined || !isHttpUrl(redirectUri)) {
    return refuse('The redirect_uri parameter must be an absolute http or https URL.');
  }
  if (client.redirectUris !== undefined && !client.redirectUris.includes(redirectUri)) {
    return refuse(`The redirect_uri "${redirectUri}" is not registered for this app.`);
  }
  const scopes = parseScopeParameter(scope ?? '');
  if (scopes.length === 0) return refuse('The scope parameter is missing.');
  const unknownScopes = scopes.filter((entry) => !xScopeDescriptions.has(entry));
  if (unknownScopes.length > 0) return refuse(`Unknown scope: ${unknownScopes.join(', ')}.`);
  if (requestState === undefined || requestState === '') return refuse('The state parameter is missing.');
  // twitter-api-v2 sends "s256" in lower case, and X accepts it.
  if (codeChallengeMethod?.toUpperCase() !== 'S256') {
    return refuse('The code_challenge_method parameter must be "S256": PKCE is required.');
  }
  if (codeChallenge === undefined || !s256ChallengePattern.test(codeChallenge)) {
    return refuse('The code_challenge parameter must be a base64url SHA-256 digest (43 characters).');
  }
  return { ok: true, request: { client, redirectUri, scopes, state: requestState, codeChallenge } };
}

function refuse(reason: string): AuthorizationRequestResult {
  return { ok: false, reason };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}
