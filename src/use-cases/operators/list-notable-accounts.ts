import type { Db, Organiser } from '../../storage/database.ts';
import { listNotableOrganisers } from '../../storage/organiser.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** The accounts an operator acts on or should know: waiting for approval, suspended, and the operators. */
export async function listNotableAccounts(db: Db): Promise<Outcome<Organiser[]>> {
  return done(await listNotableOrganisers(db));
}
