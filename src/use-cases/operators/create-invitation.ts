import type { ChorusContext } from '../../chorus-context.ts';
import { isEmailAddress } from '../../domain/organiser-account.ts';
import { invitationLifetimes } from '../../domain/sign-up-mode.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import { insertInvitation } from '../../storage/invitation.repository.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { writeInvitationMail } from '../mail/invitation-mail.ts';
import { formatUtcMinute } from '../../domain/utc-minute.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** The prefix of an invitation's token, so a leaked one is recognisable. */
export const INVITATION_TOKEN_PREFIX = 'chorus_inv';

/** A new invitation: its link, shown once (only its hash is kept), and when it stops working. */
export interface NewInvitation {
  readonly id: string;
  readonly url: string;
  readonly expiresAt: Date;
  /** Whether the link was also mailed (an address was given and this Chorus sends mail). */
  readonly mailed: boolean;
}

/** What the operator asks for: how long the link works, and an address to mail it to, if any. */
export interface InvitationRequest {
  readonly expiresInDays?: number | undefined;
  readonly email?: string | undefined;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Makes a single-use invitation to sign up, working for `expiresInDays` (7 by default, at most 30); with an `email`,
 * also mails the link there where this Chorus sends mail (the mail is written in the invitation's transaction).
 */
export async function createInvitation(
  ctx: Pick<ChorusContext, 'db' | 'config' | 'cipher' | 'queues'>,
  actor: OrganiserActor,
  request: InvitationRequest = {},
  now: Date = new Date(),
): Promise<Outcome<NewInvitation>> {
  const expiresInDays = request.expiresInDays ?? invitationLifetimes.defaultDays;
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > invitationLifetimes.maxDays)
    return invalid(`an invitation works for 1 to ${invitationLifetimes.maxDays} days`, 'expiresInDays');
  const email = request.email?.trim() ?? '';
  if (email !== '' && !isEmailAddress(email))
    return invalid('Give an email address, like name@example.org, or leave the box empty.', 'email');
  const token = generateSecretToken(INVITATION_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + expiresInDays * dayMs);
  const url = `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/organiser/sign-up?invitation=${encodeURIComponent(token)}`;
  const { invitation, mailIds } = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertInvitation(trx, { tokenHash: hashSecretToken(token), createdBy: actor.organiserId, expiresAt });
    const ids =
      email === ''
        ? []
        : await writeInvitationMail(trx, ctx, {
            kind: 'sign-up-invitation',
            invitationId: inserted.id,
            recipient: email,
            link: url,
            templateData: {
              inviterName: (await findOrganiserById(trx, actor.organiserId))?.name ?? 'An operator',
              expiresAt: formatUtcMinute(expiresAt),
            },
          });
    // Never the token nor the address: only that an invitation was made, until when it works, and whether it was mailed.
    await recordAudit(trx, actor, {
      action: 'instance.invitation-created',
      organisationId: null,
      subjectId: inserted.id,
      changes: { expiresAt: expiresAt.toISOString(), ...(ids.length > 0 ? { mailed: true } : {}) },
    });
    return { invitation: inserted, mailIds: ids };
  });
  await enqueueMails(ctx.queues.mail, mailIds);
  return done({ id: invitation.id, url, expiresAt, mailed: mailIds.length > 0 });
}
