import type { Db } from '../../storage/database.ts';
import { consumeInvitation, findMembership, insertMember, type Membership } from '../../storage/organisation.repository.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { findInvitation } from './find-invitation.ts';
import { organisationSuspended } from './organisation-access.ts';

/**
 * Joins the organisation an invitation names, with its role, using the invitation up: one acceptance wins, the
 * link works no more. A member already there gets a conflict and the invitation stays for someone else.
 */
export async function acceptInvitation(db: Db, actor: OrganiserActor, token: string, now = new Date()): Promise<Outcome<Membership>> {
  const offer = await findInvitation(db, token, now);
  if (offer.kind !== 'done') return offer;
  const { id, organisationId, organisationName } = offer.value;
  const membership = await findMembership(db, organisationId, actor.organiserId);
  if (membership !== undefined) return conflict(`you are already a member of ${organisationName}`);
  if (offer.value.organisationStanding === 'suspended') return organisationSuspended;
  try {
    return await db.transaction().execute(async (trx): Promise<Outcome<Membership>> => {
      const used = await consumeInvitation(trx, id);
      if (used === undefined) return notFound('invitation');
      // Joined meanwhile (through another invitation at the same moment): roll back, so this one stays unused.
      if (!(await insertMember(trx, organisationId, actor.organiserId, used.role))) throw new AlreadyMember();
      await recordAudit(trx, actor, {
        action: 'member.joined',
        organisationId,
        subjectId: actor.organiserId,
        changes: { role: used.role, invitation: used.id, invitedBy: used.invited_by },
      });
      return done({ organisation_id: organisationId, name: organisationName, role: used.role, joined_at: now, standing: 'active' });
    });
  } catch (error) {
    if (error instanceof AlreadyMember) return conflict(`you are already a member of ${organisationName}`);
    throw error;
  }
}

/** Thrown inside the transaction to roll it back when the organiser became a member meanwhile. */
class AlreadyMember extends Error {}
