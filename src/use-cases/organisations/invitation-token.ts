/** The prefix of an invitation link's token (`chorus_invite_…`): a leaked one is recognisable in logs and by secret scanners. */
export const INVITATION_TOKEN_PREFIX = 'chorus_invite';

/** How long an invitation link works, by default and at most. */
export const invitationLifetimeDays = { default: 7, min: 1, max: 30 } as const;

/** Where an invitee opens their link: the token travels in the fragment-free path, and only its hash is stored. */
export function invitationLink(publicUrl: string, token: string): string {
  return new URL(`organiser/invitations/${encodeURIComponent(token)}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString();
}
