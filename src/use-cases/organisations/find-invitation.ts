import type { OrganisationRole } from '../../domain/organisation-role.ts';
import type { OrganisationStanding } from '../../domain/organisation-standing.ts';
import { hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { findInvitationByTokenHash } from '../../storage/organisation.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { INVITATION_TOKEN_PREFIX } from './invitation-token.ts';

/** What an invitation link offers, as its invitee sees it before accepting. */
export interface InvitationOffer {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationStanding: OrganisationStanding;
  readonly role: OrganisationRole;
  readonly expiresAt: Date;
}

/** The invitation a link's token opens; not-found when it is unknown, used, withdrawn or expired (all look the same). */
export async function findInvitation(db: Db, token: string, now = new Date()): Promise<Outcome<InvitationOffer>> {
  if (!token.startsWith(`${INVITATION_TOKEN_PREFIX}_`)) return notFound('invitation');
  const row = await findInvitationByTokenHash(db, hashSecretToken(token), now);
  if (row === undefined) return notFound('invitation');
  return done({
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    organisationStanding: row.organisation_standing,
    role: row.role,
    expiresAt: row.expires_at,
  });
}
