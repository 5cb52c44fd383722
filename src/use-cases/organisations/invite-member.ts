import type { ChorusContext } from '../../chorus-context.ts';
import type { OrganisationRole } from '../../domain/organisation-role.ts';
import { isEmailAddress } from '../../domain/organiser-account.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import { findOrganisation, insertInvitation, type InvitationView } from '../../storage/organisation.repository.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { writeInvitationMail } from '../mail/invitation-mail.ts';
import { formatUtcMinute } from '../../domain/utc-minute.ts';
import type { Db } from '../../storage/database.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { INVITATION_TOKEN_PREFIX, invitationLifetimeDays, invitationLink } from './invitation-token.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** A new invitation with its link, which is shown this once (only its token's hash is kept). */
export interface CreatedInvitation {
  readonly invitation: InvitationView;
  readonly link: string;
  /** Whether the link was also mailed (an address was given and this Chorus sends mail). */
  readonly mailed: boolean;
}

/**
 * Makes a single-use link that lets whoever opens it (signed in) join as `role`, until it expires (an owner's action);
 * with an `email`, also mails the link there where this Chorus sends mail, in the invitation's transaction.
 */
export async function inviteMember(
  ctx: Pick<ChorusContext, 'db' | 'config' | 'cipher' | 'queues'>,
  actor: OrganiserActor,
  organisationId: string,
  request: { readonly role: OrganisationRole; readonly expiresInDays?: number; readonly email?: string | undefined },
  now = new Date(),
): Promise<Outcome<CreatedInvitation>> {
  const { db } = ctx;
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-members');
  if (access.kind !== 'done') return access;
  const days = request.expiresInDays ?? invitationLifetimeDays.default;
  if (!Number.isSafeInteger(days) || days < invitationLifetimeDays.min || days > invitationLifetimeDays.max)
    return invalid(`an invitation lasts ${invitationLifetimeDays.min} to ${invitationLifetimeDays.max} days`, 'expiresInDays');
  const email = request.email?.trim() ?? '';
  if (email !== '' && !isEmailAddress(email))
    return invalid('Give an email address, like name@example.org, or leave the box empty.', 'email');
  const token = generateSecretToken(INVITATION_TOKEN_PREFIX);
  const link = invitationLink(ctx.config.PUBLIC_URL, token);
  const { invitation, mailIds } = await db.transaction().execute(async (trx) => {
    const created = await insertInvitation(trx, {
      organisationId,
      role: request.role,
      tokenHash: hashSecretToken(token),
      invitedBy: actor.organiserId,
      expiresAt: new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
    });
    const ids = email === '' ? [] : await mailInvitation(trx, ctx, actor, created, email, link);
    // Never the token nor the address: whether it was mailed is enough for the log.
    await recordAudit(trx, actor, {
      action: 'invitation.created',
      organisationId,
      subjectId: created.id,
      changes: { role: created.role, expiresAt: created.expires_at.toISOString(), ...(ids.length > 0 ? { mailed: true } : {}) },
    });
    return { invitation: created, mailIds: ids };
  });
  await enqueueMails(ctx.queues.mail, mailIds);
  return done({ invitation, link, mailed: mailIds.length > 0 });
}

async function mailInvitation(
  trx: Db,
  ctx: Pick<ChorusContext, 'config' | 'cipher'>,
  actor: OrganiserActor,
  invitation: InvitationView,
  email: string,
  link: string,
): Promise<string[]> {
  const [inviter, organisation] = await Promise.all([
    findOrganiserById(trx, actor.organiserId),
    findOrganisation(trx, invitation.organisation_id),
  ]);
  return writeInvitationMail(trx, ctx, {
    kind: 'organisation-invitation',
    invitationId: invitation.id,
    recipient: email,
    link,
    templateData: {
      inviterName: inviter?.name ?? 'An owner',
      organisationName: organisation?.name ?? 'an organisation',
      role: invitation.role,
      expiresAt: formatUtcMinute(invitation.expires_at),
    },
  });
}
