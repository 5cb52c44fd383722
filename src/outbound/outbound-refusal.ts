import { channel } from 'node:diagnostics_channel';

/** The code a refused connection's error carries, found again however a library wraps it. */
export const OUTBOUND_REFUSED = 'CHORUS_OUTBOUND_REFUSED';

/** What Chorus tells the person who named a server it will not call. */
export const notReachableFromChorus = 'that server is not reachable from Chorus';

/** Where a refused connection was going. Never a path or a query: the guard only sees hosts and ports. */
export interface RefusedDestination {
  readonly host: string;
  readonly port: number;
  /** The address the host is, or one it resolved to, that is not public. */
  readonly address: string;
  /** The address's special-purpose range (loopback, private, linkLocal, carrierGradeNat, …). */
  readonly range: string;
}

/** The error a connection refused by the outbound guard fails with, before any byte is sent. */
export class OutboundRefusal extends Error {
  override name = 'OutboundRefusal';
  readonly code = OUTBOUND_REFUSED;
  readonly destination: RefusedDestination;

  constructor(destination: RefusedDestination) {
    const { host, port, address, range } = destination;
    const resolved = host === address ? '' : ` (${address})`;
    const hostAndPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    super(`Chorus does not connect to ${hostAndPort}${resolved}: a ${range} address, not a public one`);
    this.destination = destination;
  }
}

/**
 * The guard's refusal behind an error, if there is one: fetch wraps it in "fetch failed", and
 * the AT Protocol libraries and passport-oauth2 wrap that again, so the causes (and an AggregateError's
 * errors) are searched.
 */
export function outboundRefusalIn(error: unknown): RefusedDestination | undefined {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const candidate = next as { code?: unknown; destination?: unknown; cause?: unknown; errors?: unknown; oauthError?: unknown };
    if (candidate.code === OUTBOUND_REFUSED && typeof candidate.destination === 'object' && candidate.destination !== null)
      return candidate.destination as RefusedDestination;
    // passport-oauth2 keeps the error behind its InternalOAuthError as `oauthError`.
    pending.push(candidate.cause, candidate.oauthError);
    if (Array.isArray(candidate.errors)) pending.push(...(candidate.errors as unknown[]));
  }
  return undefined;
}

/**
 * Every refusal is published here (node:diagnostics_channel), so each process logs them once,
 * in one place (log-outbound-refusals.ts), whichever module's call was refused.
 */
export const outboundRefusals = channel('chorus:outbound-refused');
