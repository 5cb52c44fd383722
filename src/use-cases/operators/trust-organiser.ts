import type { Db, Organiser } from '../../storage/database.ts';
import { setOrganiserTrusted } from '../../storage/organiser.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator trusts an organiser (their campaigns skip review from the next publish or edit) or stops trusting them.
 * Keyed by organiser until organisations exist; campaigns already waiting for review stay there for an operator.
 */
export async function trustOrganiser(db: Db, actor: OrganiserActor, organiserId: string, trusted: boolean): Promise<Outcome<Organiser>> {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setOrganiserTrusted(trx, organiserId, trusted);
    if (updated !== undefined)
      await recordAudit(trx, actor, { action: 'organiser.trusted', organisationId: null, subjectId: updated.id, changes: { trusted } });
    return updated;
  });
  return changed === undefined ? notFound('organiser') : done(changed);
}
