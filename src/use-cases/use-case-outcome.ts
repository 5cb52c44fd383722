/**
 * What a use case answers: `done` with its value, or a problem the caller can show. Every use case
 * returns one of these instead of throwing, so the API maps a problem to a status in one place
 * (src/routes/problem-status.ts) and the pages place its message beside the field at fault.
 */
export type Outcome<T> = Done<T> | Problem;

/** The use case did what was asked. */
export interface Done<T> {
  readonly kind: 'done';
  readonly value: T;
}

/** Why a use case did not do what was asked, in words for the person who asked. */
export interface Problem {
  readonly kind: ProblemKind;
  readonly message: string;
  /** The input at fault, where one is. */
  readonly field?: string;
  /** Every input at fault, by field, where several broke their rules at once (a form shows each beside its field). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Why, as a name a script can switch on, where the kind alone does not say (the API answers it as `reason`). */
  readonly reason?: ProblemReason;
}

/** organisation-suspended: the organisation acted on was suspended by the instance's operators. */
export type ProblemReason = 'organisation-suspended';

/**
 * invalid: the input breaks a rule; unauthenticated: the caller did not prove who they are;
 * forbidden: the caller (or the network) declined; not-found: not there, or not the caller's to see;
 * conflict: the thing is in a state where this cannot be done; unpostable: the text cannot go out from this account.
 */
export type ProblemKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unpostable';

/** The use case's value. */
export function done<T>(value: T): Done<T> {
  return { kind: 'done', value };
}

/** The input breaks a rule; `field` names it. */
export function invalid(message: string, field?: string): Problem {
  return field === undefined ? { kind: 'invalid', message } : { kind: 'invalid', message, field };
}

/** Several inputs break their rules: each message by its field (the first also as the problem's message). */
export function invalidFields(fields: Readonly<Record<string, string>>): Problem {
  const [field, message] = Object.entries(fields)[0] ?? ['form', 'the input breaks a rule'];
  return { kind: 'invalid', message, field, fields };
}

/** Not there, or not the caller's to see. */
export function notFound(what: string): Problem {
  return { kind: 'not-found', message: `${what} not found` };
}

/** The caller may not do this (their role does not allow it). */
export function forbidden(message: string): Problem {
  return { kind: 'forbidden', message };
}

/** The thing is in a state where this cannot be done. */
export function conflict(message: string, field?: string): Problem {
  return field === undefined ? { kind: 'conflict', message } : { kind: 'conflict', message, field };
}

/** Whether an outcome is a problem (narrows it either way). */
export function isProblem<T>(outcome: Outcome<T>): outcome is Problem {
  return outcome.kind !== 'done';
}
