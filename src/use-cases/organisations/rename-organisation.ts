import type { Db, Organisation } from '../../storage/database.ts';
import { findOrganisation, renameOrganisation as storeName } from '../../storage/organisation.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationAccess } from './organisation-access.ts';
import { checkOrganisationName } from './organisation-name.ts';

/** Renames an organisation (its owners' setting); invalid on `name` when it is empty, too long or holds a refused character. */
export async function renameOrganisation(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  typed: string,
): Promise<Outcome<Organisation>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-settings');
  if (access.kind !== 'done') return access;
  const checked = checkOrganisationName(typed);
  if (checked.kind !== 'done') return checked;
  const name = checked.value;
  const renamed = await db.transaction().execute(async (trx) => {
    const before = await findOrganisation(trx, organisationId);
    const after = await storeName(trx, organisationId, name);
    if (before !== undefined && after !== undefined)
      await recordAudit(trx, actor, { action: 'organisation.renamed', organisationId, changes: { from: before.name, to: after.name } });
    return after;
  });
  return renamed === undefined ? notFound('organisation') : done(renamed);
}
