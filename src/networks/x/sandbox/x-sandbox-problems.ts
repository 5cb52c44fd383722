import type { FastifyReply } from 'fastify';

/** One entry of a 400 body's `errors`: what was wrong, and with which parameter. */
export interface XProblemEntry {
  message: string;
  parameters?: Record<string, string[]>;
}

/** An X API v2 error body (RFC 7807 problem details, with X's own `errors` list on 400s). */
export interface XProblem {
  title: string;
  type: string;
  status?: number;
  detail: string;
  errors?: XProblemEntry[];
}

/** X's answer to a missing, unknown, expired or revoked bearer token. */
export const unauthorizedProblem: XProblem = {
  title: 'Unauthorized',
  type: 'about:blank',
  status: 401,
  detail: 'Unauthorized',
};

/** X's answer when the token lacks a scope the endpoint needs. */
export const forbiddenProblem: XProblem = {
  title: 'Forbidden',
  type: 'about:blank',
  status: 403,
  detail: 'Forbidden',
};

/** X's answer to the same text posted twice from one account. */
export const duplicateContentProblem: XProblem = {
  detail: 'You are not allowed to create a Tweet with duplicate content.',
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
};

/** X's 429 body; the wait is only in the `x-*-reset` headers, never in Retry-After. */
export const tooManyRequestsProblem: XProblem = {
  title: 'Too Many Requests',
  detail: 'Too Many Requests',
  type: 'about:blank',
  status: 429,
};

/**
 * The sandbox's answer when the app's prepaid credits ran out. X answers 402 then; its body is
 * modelled on X's problem bodies, and Chorus reads only the status.
 */
export const creditsDepletedProblem: XProblem = {
  title: 'CreditsDepleted',
  type: 'https://api.twitter.com/2/problems/credits',
  status: 402,
  detail: 'Your enrolled account does not have any credits to fulfill this request.',
};

/** X's answer when it failed inside (the post may or may not have been made). */
export const internalErrorProblem: XProblem = {
  title: 'Internal Server Error',
  type: 'about:blank',
  status: 500,
  detail: 'Internal Server Error',
};

/** X's answer when it is over capacity. */
export const serviceUnavailableProblem: XProblem = {
  title: 'Service Unavailable',
  type: 'about:blank',
  status: 503,
  detail: 'Service Unavailable',
};

/** X's 400 body, which names each bad parameter in `errors`. */
export function invalidRequestProblem(errors: XProblemEntry[]): XProblem {
  return {
    errors,
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  };
}

/** Sends a problem body with the given status. */
export function sendProblem(reply: FastifyReply, status: number, problem: XProblem): FastifyReply {
  return reply.code(status).type('application/problem+json').send(problem);
}
