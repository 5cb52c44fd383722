import type { Db } from '../../storage/database.ts';
import { setPledgeShownPublicly } from '../../storage/pledge.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { findSupporterPledge, type SupporterPledge } from './find-supporter-pledge.ts';

/**
 * Names the supporter on the campaign's public page, or stops naming them, as they choose: at any time, before
 * the launch or after it (the public lists follow at once; the counts do not change).
 */
export async function changePledgeVisibility(
  db: Db,
  pledgeId: string,
  manageToken: string,
  shownPublicly: boolean,
): Promise<Outcome<SupporterPledge>> {
  const found = await findSupporterPledge(db, pledgeId, manageToken);
  if (found.kind !== 'done') return found;
  const updated = await setPledgeShownPublicly(db, found.value.pledge.id, shownPublicly);
  // Erased meanwhile (the organiser, at the supporter's request).
  if (updated === undefined) return notFound('pledge');
  return done({ ...found.value, pledge: updated });
}
