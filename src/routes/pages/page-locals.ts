import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSignedIn } from '../../plugins/app/organiser-auth.ts';

/** What every page's layout needs: whether an organiser is signed in, and a CSRF token for its forms. */
export interface PageLocals {
  readonly signedIn: boolean;
  readonly csrfToken: string | null;
  /** Whether the signed-in account is an operator (the header links to the operator's view). */
  readonly operator?: boolean;
}

/**
 * The layout's locals; a CSRF token is made for signed-in organisers (sign out is a form) or when a
 * page has forms. A page that carries a CSRF token is never stored by a cache: the token is this
 * browser's, and a page shown to a signed-in organiser is theirs.
 */
export function pageLocals(request: FastifyRequest, reply: FastifyReply, options: { forms?: boolean } = {}): PageLocals {
  const signedIn = isSignedIn(request);
  if (!signedIn && options.forms !== true) return { signedIn, csrfToken: null };
  reply.header('cache-control', 'no-store');
  return { signedIn, csrfToken: reply.generateCsrf(), operator: signedIn && request.organiser?.role === 'operator' };
}
