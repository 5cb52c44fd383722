import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { STORABLE_TEXT_FORMAT, describeUnstorableText, findUnstorableCharacter } from '../domain/storable-text.ts';

/** The input a request's schema refused, and why, as the API answers it. */
export interface ValidationProblem {
  readonly message: string;
  /** The field at fault as a path inside its part of the request (`title`, `variants/2`, `instance`); absent for the whole. */
  readonly field: string | undefined;
}

type RequestPart = 'body' | 'headers' | 'params' | 'querystring';

/**
 * The field a schema refused and a message for it. The text rule's refusals say which character and where
 * (src/domain/storable-text.ts); other refusals keep the validator's own words.
 */
export function validationProblem(
  request: FastifyRequest,
  errors: readonly FastifySchemaValidationError[],
  part: RequestPart | undefined,
  fallback: string,
): ValidationProblem {
  // In a union (anyOf) every branch reports its errors: the one inside a field the request sent says most.
  const error = errors.find((e) => e.instancePath !== '' && e.keyword !== 'anyOf') ?? errors[0];
  if (error === undefined) return { message: fallback, field: undefined };
  const path = error.instancePath.split('/').slice(1).map(unescapePointer);
  const named =
    error.keyword === 'required'
      ? error.params.missingProperty
      : error.keyword === 'additionalProperties'
        ? error.params.additionalProperty
        : undefined;
  if (typeof named === 'string') path.push(named);
  const field = path.length === 0 ? undefined : path.join('/');
  if (error.keyword === 'format' && error.params.format === STORABLE_TEXT_FORMAT && field !== undefined) {
    const value = valueAt(partOf(request, part), path);
    return { message: describeUnstorableText(field, typeof value === 'string' ? findUnstorableCharacter(value) : null), field };
  }
  return { message: fallback, field };
}

function partOf(request: FastifyRequest, part: RequestPart | undefined): unknown {
  switch (part) {
    case 'body':
      return request.body;
    case 'querystring':
      return request.query;
    case 'params':
      return request.params;
    case 'headers':
      return request.headers;
    case undefined:
      return undefined;
  }
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
