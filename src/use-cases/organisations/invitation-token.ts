import { withTrailingSlash } from '../../domain/public-url.ts';
/** The prefix of an invitation link's token (`chorus_invite_…`): a leaked one is recognisable in logs and by secret scanners. */
export const INVITATION_TOKEN_PREFIX = 'chorus_invite';

/** How long an invitation link works, by default and at most. */
export const invitationLifetimeDays = { default: 7, min: 1, max: 30 } as const;

/** Where an invitee opens their link: the token is in the query, which the request log leaves out (only the path is logged). */
export function invitationLink(publicUrl: string, token: string): string {
  const link = new URL('organiser/invitation', withTrailingSlash(publicUrl));
  link.searchParams.set('token', token);
  return link.toString();
}
