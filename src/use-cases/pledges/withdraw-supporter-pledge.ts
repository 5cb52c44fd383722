import type { Db } from '../../storage/database.ts';
import { withdrawPledge } from '../../storage/pledge.repository.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { findSupporterPledge, type SupporterPledge } from './find-supporter-pledge.ts';

/** A withdrawal that took effect now, or one the supporter had made before. */
export type Withdrawal = { readonly alreadyWithdrawn: boolean; readonly found: SupporterPledge };

/** Withdraws a pledge before launch (its access is erased); a conflict once the campaign has launched or ended. */
export async function withdrawSupporterPledge(db: Db, pledgeId: string, manageToken: string): Promise<Outcome<Withdrawal>> {
  const found = await findSupporterPledge(db, pledgeId, manageToken);
  if (found.kind !== 'done') return found;
  const result = await withdrawPledge(db, found.value.pledge);
  switch (result) {
    case 'withdrawn':
    case 'already-withdrawn':
      return done({ alreadyWithdrawn: result === 'already-withdrawn', found: found.value });
    case 'too-late':
      return conflict('the campaign has already launched or ended, so the pledge can no longer be withdrawn');
  }
}
