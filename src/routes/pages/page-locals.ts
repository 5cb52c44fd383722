import type { FastifyReply, FastifyRequest } from 'fastify';

/** What every page's layout needs: whether an organiser is signed in, and a CSRF token for its forms. */
export interface PageLocals {
  readonly signedIn: boolean;
  readonly csrfToken: string | null;
}

/** The layout's locals; a CSRF token is made for signed-in organisers (sign out is a form) or when a page has forms. */
export function pageLocals(request: FastifyRequest, reply: FastifyReply, options: { forms?: boolean } = {}): PageLocals {
  const signedIn = typeof request.session.get('organiserId') === 'string';
  return { signedIn, csrfToken: signedIn || options.forms === true ? reply.generateCsrf() : null };
}
