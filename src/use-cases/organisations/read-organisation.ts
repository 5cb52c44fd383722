import type { OrganisationRole } from '../../domain/organisation-role.ts';
import type { Db, Organisation } from '../../storage/database.ts';
import { findOrganisation, listMembers, type MemberView } from '../../storage/organisation.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** An organisation as one of its members sees it. */
export interface OrganisationOverview {
  readonly organisation: Organisation;
  /** The caller's own role. */
  readonly role: OrganisationRole;
  readonly members: MemberView[];
}

/** An organisation and its members, for any of its members; not-found for anyone else. */
export async function readOrganisation(db: Db, organiserId: string, organisationId: string): Promise<Outcome<OrganisationOverview>> {
  const access = await checkOrganisationAccess(db, organiserId, organisationId, 'read-campaigns');
  if (access.kind !== 'done') return access;
  const [organisation, members] = await Promise.all([findOrganisation(db, organisationId), listMembers(db, organisationId)]);
  if (organisation === undefined) return notFound('organisation');
  return done({ organisation, role: access.value, members });
}
