import type { Db } from '../../storage/database.ts';
import { listMemberships, type Membership } from '../../storage/organisation.repository.ts';

/** The organisations an organiser is a member of, with their role in each; the one they joined first (their own) first. */
export function listOrganisations(db: Db, organiserId: string): Promise<Membership[]> {
  return listMemberships(db, organiserId);
}
