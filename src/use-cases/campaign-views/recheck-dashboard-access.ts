import type { SessionLifetimes } from '../../domain/session-lifetime.ts';
import type { Db } from '../../storage/database.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { authenticateSession } from '../organisers/authenticate-organiser.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/**
 * Whether an open dashboard stream may go on showing a campaign: its browser session still signs its organiser in
 * (not signed out, everywhere or here, not ended, the account not suspended) and they are still a member of the
 * campaign's organisation, which is still in good standing. The same rules as opening it, two indexed reads; the
 * check is not counted as use of the session, so a dashboard left open does not keep a session from idling out.
 */
export async function recheckDashboardAccess(
  db: Db,
  lifetimes: SessionLifetimes,
  sessionToken: string | undefined,
  campaignId: string,
  now: Date = new Date(),
): Promise<Outcome<null>> {
  if (sessionToken === undefined) return { kind: 'unauthenticated', message: 'this browser is signed out; sign in again' };
  const session = await authenticateSession(db, lifetimes, sessionToken, now, { noteUse: false });
  if (session.kind !== 'done') return session;
  const campaign = await findMemberCampaign(db, session.value.organiser.id, campaignId, 'read-campaigns');
  switch (campaign.kind) {
    case 'done':
      return done(null);
    case 'not-found':
      // Removed from the organisation (or the campaign is gone): say so, rather than "campaign not found".
      return { kind: 'not-found', message: "you are no longer a member of this campaign's organisation" };
    case 'invalid':
    case 'unauthenticated':
    case 'forbidden':
    case 'conflict':
    case 'unpostable':
      return campaign;
  }
}
