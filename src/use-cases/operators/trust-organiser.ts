import type { Db, Organiser } from '../../storage/database.ts';
import { setOrganiserTrusted } from '../../storage/organiser.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator trusts an organiser (their campaigns skip review from the next publish or edit) or stops trusting them.
 * Keyed by organiser until organisations exist; campaigns already waiting for review stay there for an operator.
 */
export async function trustOrganiser(db: Db, organiserId: string, trusted: boolean): Promise<Outcome<Organiser>> {
  const changed = await setOrganiserTrusted(db, organiserId, trusted);
  return changed === undefined ? notFound('organiser') : done(changed);
}
