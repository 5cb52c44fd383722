import { leavesNoOwner, type OrganisationRole } from '../../domain/organisation-role.ts';
import type { Db } from '../../storage/database.ts';
import { countOwners, findMemberRole, lockOrganisation, updateMemberRole } from '../../storage/organisation.repository.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** Gives a member another role (an owner's action); the last owner cannot be demoted (a conflict). */
export async function changeMemberRole(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  memberId: string,
  role: OrganisationRole,
): Promise<Outcome<{ readonly organiserId: string; readonly role: OrganisationRole }>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-members');
  if (access.kind !== 'done') return access;
  return db.transaction().execute(async (trx): Promise<Outcome<{ organiserId: string; role: OrganisationRole }>> => {
    // Members' changes take turns on the organisation's row: two owners demoting each other cannot both pass the check.
    if (!(await lockOrganisation(trx, organisationId))) return notFound('organisation');
    const current = await findMemberRole(trx, organisationId, memberId);
    if (current === undefined) return notFound('member');
    if (current === role) return done({ organiserId: memberId, role });
    if (leavesNoOwner(await countOwners(trx, organisationId), current, role))
      return conflict('the organisation needs at least one owner: make someone else an owner first', 'role');
    await updateMemberRole(trx, organisationId, memberId, role);
    await recordAudit(trx, actor, {
      action: 'member.role-changed',
      organisationId,
      subjectId: memberId,
      changes: { from: current, to: role },
    });
    return done({ organiserId: memberId, role });
  });
}
