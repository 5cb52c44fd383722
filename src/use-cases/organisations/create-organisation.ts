import type { Db, Organisation } from '../../storage/database.ts';
import { insertOrganisationWithOwner } from '../../storage/organisation.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from './audit-actor.ts';
import { checkOrganisationName } from './organisation-name.ts';

/**
 * Creates an organisation with the caller as its owner: how an organiser who left their own (or wants another) gets
 * one to run campaigns in. Recorded as sign-up records an organisation of one's own (`organisation.created`).
 */
export async function createOrganisation(db: Db, actor: OrganiserActor, typed: string): Promise<Outcome<Organisation>> {
  const name = checkOrganisationName(typed);
  if (name.kind !== 'done') return name;
  return done(
    await db.transaction().execute(async (trx) => {
      const organisation = await insertOrganisationWithOwner(trx, name.value, actor.organiserId);
      await recordAudit(trx, actor, {
        action: 'organisation.created',
        organisationId: organisation.id,
        subjectId: actor.organiserId,
        changes: { name: organisation.name, owner: actor.organiserId },
      });
      return organisation;
    }),
  );
}
