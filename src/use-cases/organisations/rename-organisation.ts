import { checkStorableText } from '../../domain/storable-text.ts';
import type { Db, Organisation } from '../../storage/database.ts';
import { findOrganisation, renameOrganisation as storeName } from '../../storage/organisation.repository.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationAccess } from './organisation-access.ts';

/** The longest organisation name. */
export const MAX_ORGANISATION_NAME = 200;

/** Renames an organisation (its owners' setting); invalid on `name` when it is empty, too long or holds a refused character. */
export async function renameOrganisation(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  typed: string,
): Promise<Outcome<Organisation>> {
  const access = await checkOrganisationAccess(db, actor.organiserId, organisationId, 'manage-settings');
  if (access.kind !== 'done') return access;
  const name = typed.trim();
  if (name === '' || name.length > MAX_ORGANISATION_NAME)
    return invalid(`Give the organisation a name (up to ${MAX_ORGANISATION_NAME} characters).`, 'name');
  const characters = checkStorableText('the name', name);
  if (characters !== null) return invalid(characters, 'name');
  const renamed = await db.transaction().execute(async (trx) => {
    const before = await findOrganisation(trx, organisationId);
    const after = await storeName(trx, organisationId, name);
    if (before !== undefined && after !== undefined)
      await recordAudit(trx, actor, { action: 'organisation.renamed', organisationId, changes: { from: before.name, to: after.name } });
    return after;
  });
  return renamed === undefined ? notFound('organisation') : done(renamed);
}
