import { leavesNoOwner } from '../../domain/organisation-role.ts';
import type { Db } from '../../storage/database.ts';
import { countOwners, deleteMember, findMemberRole, lockOrganisation } from '../../storage/organisation.repository.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/**
 * Takes a member out of an organisation: an owner removes anyone; any member may leave (remove themselves). The
 * last owner can do neither (a conflict): someone must be able to manage the organisation.
 */
export async function removeMember(db: Db, actor: OrganiserActor, organisationId: string, memberId: string): Promise<Outcome<null>> {
  const leaving = memberId === actor.organiserId;
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, leaving ? 'read-campaigns' : 'manage-members');
  if (access.kind !== 'done') return access;
  return db.transaction().execute(async (trx): Promise<Outcome<null>> => {
    if (!(await lockOrganisation(trx, organisationId))) return notFound('organisation');
    const role = await findMemberRole(trx, organisationId, memberId);
    if (role === undefined) return notFound('member');
    if (leavesNoOwner(await countOwners(trx, organisationId), role, 'removed'))
      return conflict(
        leaving
          ? 'you are the last owner: make someone else an owner before you leave'
          : 'the organisation needs at least one owner: make someone else an owner first',
      );
    await deleteMember(trx, organisationId, memberId);
    await recordAudit(trx, actor, {
      action: leaving ? 'member.left' : 'member.removed',
      organisationId,
      subjectId: memberId,
      changes: { role },
    });
    return done(null);
  });
}
