import { invitationLifetimes } from '../../domain/sign-up-mode.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { insertInvitation } from '../../storage/invitation.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** The prefix of an invitation's token, so a leaked one is recognisable. */
export const INVITATION_TOKEN_PREFIX = 'chorus_inv';

/** A new invitation: its link, shown once (only its hash is kept), and when it stops working. */
export interface NewInvitation {
  readonly id: string;
  readonly url: string;
  readonly expiresAt: Date;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Makes a single-use invitation to sign up, working for `expiresInDays` (7 by default, at most 30). */
export async function createInvitation(
  db: Db,
  publicUrl: string,
  actor: OrganiserActor,
  expiresInDays: number = invitationLifetimes.defaultDays,
  now: Date = new Date(),
): Promise<Outcome<NewInvitation>> {
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > invitationLifetimes.maxDays)
    return invalid(`an invitation works for 1 to ${invitationLifetimes.maxDays} days`, 'expiresInDays');
  const token = generateSecretToken(INVITATION_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + expiresInDays * dayMs);
  const invitation = await db.transaction().execute(async (trx) => {
    const inserted = await insertInvitation(trx, { tokenHash: hashSecretToken(token), createdBy: actor.organiserId, expiresAt });
    // Never the token: only that an invitation was made, and until when it works.
    await recordAudit(trx, actor, {
      action: 'instance.invitation-created',
      organisationId: null,
      subjectId: inserted.id,
      changes: { expiresAt: expiresAt.toISOString() },
    });
    return inserted;
  });
  return done({
    id: invitation.id,
    url: `${publicUrl.replace(/\/$/, '')}/organiser/sign-up?invitation=${encodeURIComponent(token)}`,
    expiresAt,
  });
}
