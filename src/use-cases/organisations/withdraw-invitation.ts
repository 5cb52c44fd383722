import type { Db } from '../../storage/database.ts';
import { deleteInvitation } from '../../storage/organisation.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** Withdraws an invitation before anyone uses it: its link stops working (an owner's action). */
export async function withdrawInvitation(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  invitationId: string,
): Promise<Outcome<null>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-members');
  if (access.kind !== 'done') return access;
  const withdrawn = await db.transaction().execute(async (trx) => {
    const deleted = await deleteInvitation(trx, organisationId, invitationId);
    if (deleted) await recordAudit(trx, actor, { action: 'invitation.withdrawn', organisationId, subjectId: invitationId });
    return deleted;
  });
  return withdrawn ? done(null) : notFound('invitation');
}
