import type { Db } from '../../storage/database.ts';
import { hasConfirmedSecondFactor } from '../../storage/second-factor.repository.ts';

/**
 * Whether an organiser signs in with a second factor (TOTP confirmed). The rule "operators must use
 * two factors", and the shorter password minimum, ask this.
 */
export function hasSecondFactor(db: Db, organiserId: string): Promise<boolean> {
  return hasConfirmedSecondFactor(db, organiserId);
}
