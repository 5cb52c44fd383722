import type { ProblemReason } from '../use-cases/use-case-outcome.ts';

/** An error that Fastify sends as a 4xx with this message; `field` names the input at fault, `reason` why (where named). */
export class HttpError extends Error {
  readonly statusCode: 400 | 401 | 403 | 404 | 409 | 415 | 422;
  readonly field: string | undefined;
  readonly reason: ProblemReason | undefined;
  constructor(statusCode: 400 | 401 | 403 | 404 | 409 | 415 | 422, message: string, field?: string, reason?: ProblemReason) {
    super(message);
    this.statusCode = statusCode;
    this.field = field;
    this.reason = reason;
  }
}

/** 400: the input breaks a rule. */
export function badRequest(message: string, field?: string): HttpError {
  return new HttpError(400, message, field);
}

/** 404: not there, or not the caller's to see. */
export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found`);
}

/** 409: the thing is in a state where this cannot be done. */
export function conflict(message: string): HttpError {
  return new HttpError(409, message);
}
