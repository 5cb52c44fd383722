import type { SessionLifetimes } from '../../domain/session-lifetime.ts';
import { listApiTokens, type ApiTokenView } from '../../storage/api-token.repository.ts';
import type { Db } from '../../storage/database.ts';
import { listSessionsOf, type SessionSummary } from './list-organiser-sessions.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** What the account page shows: the caller's signed-in sessions and their API tokens. */
export interface AccountOverview {
  readonly sessions: readonly SessionSummary[];
  readonly tokens: readonly ApiTokenView[];
}

/** The caller's sessions and API tokens, for the account page. */
export async function readAccountOverview(db: Db, lifetimes: SessionLifetimes, caller: OrganiserCaller): Promise<AccountOverview> {
  const [sessions, tokens] = await Promise.all([listSessionsOf(db, lifetimes, caller), listApiTokens(db, caller.organiser.id)]);
  return { sessions, tokens };
}
