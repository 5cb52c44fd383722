import type { Outcome, Problem, ProblemKind } from '../use-cases/use-case-outcome.ts';
import { HttpError } from './http-error.ts';

/** The HTTP status of each kind of problem: the one place the API turns use-case problems into statuses. */
export const problemStatus = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unpostable: 422,
} as const satisfies Record<ProblemKind, HttpError['statusCode']>;

/** The HttpError the API answers a problem with (its message and field as the use case gave them). */
export function httpErrorOf(problem: Problem): HttpError {
  return new HttpError(problemStatus[problem.kind], problem.message, problem.field, problem.reason);
}

/** The outcome's value, or its problem thrown as the HttpError the API answers with. */
export function valueOrHttpError<T>(outcome: Outcome<T>): T {
  if (outcome.kind === 'done') return outcome.value;
  throw httpErrorOf(outcome);
}

/** Messages beside the fields, by field name ("form" for the form as a whole), as sentences a person reads. */
export function fieldMessagesOf(problem: Problem): Record<string, string> {
  const fields = problem.fields ?? { [problem.field ?? 'form']: problem.message };
  return Object.fromEntries(Object.entries(fields).map(([field, message]) => [field.replace('/', '-'), asSentence(message)]));
}

/** A message as a sentence: capital first letter, full stop at the end. */
export function asSentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;
}
