import type { Db, Organiser } from '../../storage/database.ts';
import { findOrganiserById, setOrganiserStanding } from '../../storage/organiser.repository.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/** An operator approves an account that signed up while sign-up needed approval: it can sign in from now on. */
export async function approveOrganiser(db: Db, organiserId: string): Promise<Outcome<Organiser>> {
  const found = await findOrganiserById(db, organiserId);
  if (found === undefined) return notFound('organiser');
  if (found.standing !== 'awaiting_approval')
    return conflict(`the account is ${found.standing.replace('_', ' ')}, not waiting for approval`);
  const approved = await setOrganiserStanding(db, organiserId, 'active');
  return approved === undefined ? notFound('organiser') : done(approved);
}
