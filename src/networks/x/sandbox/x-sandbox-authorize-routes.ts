import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseAuthorizationRequest, type AuthorizationRequest } from './x-sandbox-authorization-request.ts';
import { defaultFollowers, renderConsentPage, renderErrorPage } from './x-sandbox-consent-page.ts';
import { stringField } from './x-sandbox-fields.ts';
import type { XSandboxState } from './x-sandbox-state.ts';

const usernamePattern = /^[A-Za-z0-9_]{1,15}$/;
const maxFollowers = 1_000_000_000;

/** Registers X's consent page: `GET` shows it, `POST` is the user's decision. */
export function registerAuthorizeRoutes(app: FastifyInstance, state: XSandboxState): void {
  app.get('/i/oauth2/authorize', async (request, reply) => {
    const parsed = parseAuthorizationRequest(request.query, state);
    if (!parsed.ok) return sendHtml(reply, 400, renderErrorPage(parsed.reason));
    return sendHtml(reply, 200, renderConsentPage(parsed.request, { username: '', followers: String(defaultFollowers) }));
  });

  app.post('/i/oauth2/authorize', async (request, reply) => {
    // The hidden fields come back from the browser, so they are checked again, not trusted.
    const parsed = parseAuthorizationRequest(request.body, state);
    if (!parsed.ok) return sendHtml(reply, 400, renderErrorPage(parsed.reason));
    const authorization = parsed.request;

    const decision = stringField(request.body, 'decision');
    if (decision === 'deny') {
      return redirectWith(reply, authorization, { error: 'access_denied' });
    }
    if (decision !== 'approve') {
      return sendHtml(reply, 400, renderErrorPage('The form must be sent with "Authorize app" or "Cancel".'));
    }

    const username = (stringField(request.body, 'username') ?? '').trim();
    const followersText = (stringField(request.body, 'followers') ?? '').trim();
    const followers = /^\d{1,10}$/.test(followersText) ? Number(followersText) : Number.NaN;
    const error = !usernamePattern.test(username)
      ? 'Username must be 1 to 15 letters, digits or underscores.'
      : !(followers <= maxFollowers)
        ? `Followers must be a whole number from 0 to ${maxFollowers.toLocaleString('en')}.`
        : undefined;
    if (error !== undefined) {
      return sendHtml(reply, 400, renderConsentPage(authorization, { username, followers: followersText, error }));
    }

    const user = state.upsertUser(username, followers);
    const code = state.issueCode({
      clientId: authorization.client.clientId,
      redirectUri: authorization.redirectUri,
      codeChallenge: authorization.codeChallenge,
      scopes: authorization.scopes,
      userId: user.id,
    });
    return redirectWith(reply, authorization, { code });
  });
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .send(html);
}

function redirectWith(
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  params: { code: string } | { error: string },
): FastifyReply {
  const target = new URL(authorization.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  target.searchParams.set('state', authorization.state);
  return reply.header('cache-control', 'no-store').redirect(target.toString(), 302);
}
