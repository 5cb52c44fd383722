import type { OrganisationRole } from '../../domain/organisation-role.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertInvitation, type InvitationView } from '../../storage/organisation.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { INVITATION_TOKEN_PREFIX, invitationLifetimeDays, invitationLink } from './invitation-token.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** A new invitation with its link, which is shown this once (only its token's hash is kept). */
export interface CreatedInvitation {
  readonly invitation: InvitationView;
  readonly link: string;
}

/** Makes a single-use link that lets whoever opens it (signed in) join as `role`, until it expires (an owner's action). */
export async function inviteMember(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  request: { readonly role: OrganisationRole; readonly expiresInDays?: number },
  publicUrl: string,
  now = new Date(),
): Promise<Outcome<CreatedInvitation>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-members');
  if (access.kind !== 'done') return access;
  const days = request.expiresInDays ?? invitationLifetimeDays.default;
  if (!Number.isSafeInteger(days) || days < invitationLifetimeDays.min || days > invitationLifetimeDays.max)
    return invalid(`an invitation lasts ${invitationLifetimeDays.min} to ${invitationLifetimeDays.max} days`, 'expiresInDays');
  const token = generateSecretToken(INVITATION_TOKEN_PREFIX);
  const invitation = await db.transaction().execute(async (trx) => {
    const created = await insertInvitation(trx, {
      organisationId,
      role: request.role,
      tokenHash: hashSecretToken(token),
      invitedBy: actor.organiserId,
      expiresAt: new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
    });
    await recordAudit(trx, actor, {
      action: 'invitation.created',
      organisationId,
      subjectId: created.id,
      changes: { role: created.role, expiresAt: created.expires_at.toISOString() },
    });
    return created;
  });
  return done({ invitation, link: invitationLink(publicUrl, token) });
}
