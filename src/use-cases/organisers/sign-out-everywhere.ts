import type { Db } from '../../storage/database.ts';
import { deleteOrganiserSessions } from '../../storage/organiser-session.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/**
 * Signs the caller out everywhere: ends every session of theirs, the one asking too. An API token
 * may ask it as well (a script can cut off a lost laptop); API tokens are revoked one by one.
 */
export async function signOutEverywhere(db: Db, caller: OrganiserCaller): Promise<Outcome<{ readonly ended: number }>> {
  return done({ ended: await deleteOrganiserSessions(db, caller.organiser.id) });
}
