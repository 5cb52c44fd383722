import type { Db } from '../../storage/database.ts';
import { listInvitations as listInvitationRows, type InvitationView } from '../../storage/organisation.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** An organisation's invitations still open (not used, not expired), for its owners. */
export async function listInvitations(
  db: Db,
  organiserId: string,
  organisationId: string,
  now = new Date(),
): Promise<Outcome<InvitationView[]>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'manage-members');
  if (access.kind !== 'done') return access;
  return done(await listInvitationRows(db, organisationId, now));
}
