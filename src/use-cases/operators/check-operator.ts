import type { Db, Organiser } from '../../storage/database.ts';
import { hasConfirmedSecondFactor } from '../../storage/second-factor.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** Why an account may not act as an operator now: it is none, or it has not turned on two-factor sign-in yet. */
export type OperatorRefusal = 'not-an-operator' | 'needs-second-factor';

/**
 * Lets an operator through to the operator's routes and pages only with two-factor sign-in on (issue 14: operators
 * must use two factors). `forbidden` with the reason otherwise; the pages send an operator without it to enrol.
 */
export async function checkOperator(db: Db, organiser: Organiser): Promise<Outcome<Organiser> & { readonly refusal?: OperatorRefusal }> {
  switch (organiser.role) {
    case 'organiser':
      return { kind: 'forbidden', message: 'only an operator of this Chorus may do this', refusal: 'not-an-operator' };
    case 'operator':
      if (!(await hasConfirmedSecondFactor(db, organiser.id)))
        return {
          kind: 'forbidden',
          message: 'operators must turn on two-factor sign-in first (your account page, or POST /api/v1/me/two-factor)',
          refusal: 'needs-second-factor',
        };
      return done(organiser);
  }
}
