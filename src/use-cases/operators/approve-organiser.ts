import type { Db, Organiser } from '../../storage/database.ts';
import { findOrganiserById, setOrganiserStanding } from '../../storage/organiser.repository.ts';
import { organiserStandingEntry } from './organiser-standing-entry.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/** An operator approves an account that signed up while sign-up needed approval: it can sign in from now on. */
export async function approveOrganiser(db: Db, actor: OrganiserActor, organiserId: string): Promise<Outcome<Organiser>> {
  const found = await findOrganiserById(db, organiserId);
  if (found === undefined) return notFound('organiser');
  if (found.standing !== 'awaiting_approval')
    return conflict(`the account is ${found.standing.replace('_', ' ')}, not waiting for approval`);
  const approved = await db.transaction().execute(async (trx) => {
    const changed = await setOrganiserStanding(trx, organiserId, 'active');
    if (changed !== undefined) await recordAudit(trx, actor, organiserStandingEntry('organiser.approved', changed));
    return changed;
  });
  return approved === undefined ? notFound('organiser') : done(approved);
}
