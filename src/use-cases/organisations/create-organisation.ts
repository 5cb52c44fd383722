import type { Db, Organisation } from '../../storage/database.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { addOrganisationWithOwner } from './add-organisation-with-owner.ts';
import type { OrganiserActor } from './audit-actor.ts';
import { checkOrganisationName } from './organisation-name.ts';

/**
 * Creates an organisation with the caller as its owner: how an organiser who left their own (or wants another) gets
 * one to run campaigns in. Recorded as sign-up records an organisation of one's own (`organisation.created`).
 */
export async function createOrganisation(db: Db, actor: OrganiserActor, typed: string): Promise<Outcome<Organisation>> {
  const name = checkOrganisationName(typed);
  if (name.kind !== 'done') return name;
  return done(await db.transaction().execute((trx) => addOrganisationWithOwner(trx, actor, name.value, actor.organiserId)));
}
