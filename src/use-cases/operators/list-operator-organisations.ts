import type { Db } from '../../storage/database.ts';
import { listOperatorOrganisations, type OperatorOrganisation } from '../../storage/organisation.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** How many organisations the operator's list shows: the suspended and trusted come first, so they are always there. */
export const operatorOrganisationsListed = 200;

/** The organisations as an operator sees them: owners, campaigns, trust and standing. */
export async function listOrganisationsForOperator(db: Db): Promise<Outcome<OperatorOrganisation[]>> {
  return done(await listOperatorOrganisations(db, operatorOrganisationsListed));
}
