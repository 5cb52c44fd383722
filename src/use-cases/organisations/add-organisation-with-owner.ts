import type { Db, Organisation } from '../../storage/database.ts';
import { insertOrganisationWithOwner } from '../../storage/organisation.repository.ts';
import { recordAudit, type AuditActor } from './audit-actor.ts';

/**
 * Adds an organisation with its first owner and records it (`organisation.created`) in the caller's transaction: how
 * signing up makes an organisation of one's own, and how an organiser makes another.
 */
export async function addOrganisationWithOwner(trx: Db, actor: AuditActor, name: string, ownerId: string): Promise<Organisation> {
  const organisation = await insertOrganisationWithOwner(trx, name, ownerId);
  await recordAudit(trx, actor, {
    action: 'organisation.created',
    organisationId: organisation.id,
    subjectId: ownerId,
    changes: { name: organisation.name, owner: ownerId },
  });
  return organisation;
}
