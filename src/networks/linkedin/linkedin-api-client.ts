import type { PublishOutcome } from '../publish-outcome.ts';
import { toLinkedInCommentary } from './linkedin-commentary.ts';

/** Where LinkedIn's API is, and which version of it Chorus speaks. */
export interface LinkedInApi {
  /** Base of the REST API, ending with "/" (https://api.linkedin.com/). */
  readonly apiUrl: string;
  /** The `LinkedIn-Version` header, YYYYMM; LinkedIn retires a version about a year after it. */
  readonly apiVersion: string;
}

/** The OpenID Connect userinfo fields Chorus reads. */
export interface LinkedInUserInfo {
  readonly sub: string;
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
}

/** How long one call to LinkedIn may take. */
export const linkedInRequestTimeoutMs = 15_000;
// Error codes of a request that never reached LinkedIn, so nothing can have been posted.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** The member behind a token (`GET /v2/userinfo`, scopes `openid profile`). */
export async function fetchLinkedInUserInfo(api: LinkedInApi, accessToken: string): Promise<LinkedInUserInfo> {
  const response = await fetch(new URL('v2/userinfo', api.apiUrl), {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(linkedInRequestTimeoutMs),
  });
  if (!response.ok) throw new Error(`LinkedIn answered ${response.status} when asked who the member is`);
  return (await response.json()) as LinkedInUserInfo;
}

/** Publishes a public post as the member (`POST /rest/posts`, versioned Posts API). */
export async function postLinkedInShare(api: LinkedInApi, accessToken: string, memberId: string, text: string): Promise<PublishOutcome> {
  let response: Response;
  try {
    response = await fetch(new URL('rest/posts', api.apiUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        'linkedin-version': api.apiVersion,
        'x-restli-protocol-version': '2.0.0',
      },
      body: JSON.stringify({
        author: `urn:li:person:${memberId}`,
        commentary: toLinkedInCommentary(text),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      }),
      signal: AbortSignal.timeout(linkedInRequestTimeoutMs),
    });
  } catch (error) {
    const code = error instanceof Error && error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? '') : '';
    if (notSentCodes.has(code)) return { kind: 'retry-with-backoff', reason: `LinkedIn could not be reached (${code})` };
    // LinkedIn has no idempotency key: a request that may have arrived must not be sent again blindly.
    return { kind: 'unknown-outcome', reason: 'the connection to LinkedIn failed after the post was sent' };
  }
  if (response.status === 201) {
    const id = response.headers.get('x-restli-id');
    return id === null ? { kind: 'unknown-outcome', reason: 'LinkedIn accepted the post but gave no id' } : { kind: 'sent', postId: id };
  }
  const body = (await response.json().catch(() => ({}))) as { message?: unknown };
  const detail = typeof body.message === 'string' ? body.message.slice(0, 200) : `HTTP ${response.status}`;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      kind: 'retry-after',
      seconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 300,
      reason: 'LinkedIn rate limit reached',
    };
  }
  if (response.status >= 500) return { kind: 'unknown-outcome', reason: `LinkedIn answered ${response.status} after the post was sent` };
  if (response.status === 401)
    return { kind: 'failed', reason: "LinkedIn no longer accepts this supporter's authorisation (it lasts 60 days)" };
  return { kind: 'failed', reason: `LinkedIn refused the post: ${detail}` };
}
