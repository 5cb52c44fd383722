import { organiserMailChoices, type OrganiserMailKind } from '../../domain/organiser-mail-kind.ts';
import type { SessionLifetimes } from '../../domain/session-lifetime.ts';
import { listApiTokens, type ApiTokenView } from '../../storage/api-token.repository.ts';
import type { Db } from '../../storage/database.ts';
import { readOrganiserMailSettings } from '../../storage/organiser-mail-settings.repository.ts';
import { listSessionsOf, type SessionSummary } from './list-organiser-sessions.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** What the account page shows: the caller's signed-in sessions, their API tokens and which mails they get. */
export interface AccountOverview {
  readonly sessions: readonly SessionSummary[];
  readonly tokens: readonly ApiTokenView[];
  readonly mail: Readonly<Record<OrganiserMailKind, boolean>>;
}

/** The caller's sessions, API tokens and mail settings, for the account page. */
export async function readAccountOverview(db: Db, lifetimes: SessionLifetimes, caller: OrganiserCaller): Promise<AccountOverview> {
  const [sessions, tokens, mail] = await Promise.all([
    listSessionsOf(db, lifetimes, caller),
    listApiTokens(db, caller.organiser.id),
    readOrganiserMailSettings(db, caller.organiser.id),
  ]);
  return { sessions, tokens, mail: organiserMailChoices(mail) };
}
