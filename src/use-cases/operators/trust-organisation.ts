import type { Db, Organisation } from '../../storage/database.ts';
import { setOrganisationTrusted } from '../../storage/organisation.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator trusts an organisation (its campaigns skip review from the next publish or edit of their words,
 * whichever member makes it) or stops trusting it; campaigns already waiting for review stay there for an operator.
 */
export async function trustOrganisation(
  db: Db,
  actor: OrganiserActor,
  organisationId: string,
  trusted: boolean,
): Promise<Outcome<Organisation>> {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setOrganisationTrusted(trx, organisationId, trusted);
    if (updated !== undefined) await recordAudit(trx, actor, { action: 'organisation.trusted', organisationId, changes: { trusted } });
    return updated;
  });
  return changed === undefined ? notFound('organisation') : done(changed);
}
