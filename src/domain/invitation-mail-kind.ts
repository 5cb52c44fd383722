/** The mails that carry an invitation link (docs/mail.md, "Invitations"): to sign up, and to join an organisation. */
export const invitationMailKinds = ['sign-up-invitation', 'organisation-invitation'] as const;

/** One of the invitation mails. */
export type InvitationMailKind = (typeof invitationMailKinds)[number];

/** Whether `kind` names an invitation mail. */
export function isInvitationMailKind(kind: string): kind is InvitationMailKind {
  return (invitationMailKinds as readonly string[]).includes(kind);
}
