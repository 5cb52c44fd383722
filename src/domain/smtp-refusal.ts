/**
 * What an SMTP problem means for the mail: `permanent` (the server answered 5xx: this mail will never be accepted
 * as it is, so it is recorded as failed) or `temporary` (a 4xx, a connection refused or dropped, a time-out: tried
 * again later). RFC 5321 section 4.2.1: 4yz is a transient negative completion, 5yz a permanent one.
 */
export type SmtpRefusal = { readonly kind: 'permanent'; readonly reason: string } | { readonly kind: 'temporary'; readonly reason: string };

/** The parts of a transport's error this reads (nodemailer puts the server's reply code in `responseCode`). */
export interface SmtpErrorFacts {
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
  readonly code?: string | undefined;
  readonly message: string;
}

/** Classifies a failed send as permanent (5xx) or temporary (anything else). */
export function classifySmtpError(error: SmtpErrorFacts): SmtpRefusal {
  const code = error.responseCode;
  const said = (error.response ?? error.message).replace(/\s+/g, ' ').trim().slice(0, 500);
  if (code !== undefined && code >= 500 && code < 600) return { kind: 'permanent', reason: `the mail server refused it: ${said}` };
  if (code !== undefined && code >= 400 && code < 500) return { kind: 'temporary', reason: `the mail server deferred it: ${said}` };
  return { kind: 'temporary', reason: `the mail server could not be reached: ${error.code ?? said}` };
}
