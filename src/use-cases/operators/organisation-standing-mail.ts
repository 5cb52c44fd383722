import type { Config } from '../../../config/config.ts';
import { formatUtcMinute } from '../../domain/utc-minute.ts';
import type { Db, Organisation } from '../../storage/database.ts';
import { writeOutboxMails } from '../../storage/mail-outbox.repository.ts';
import { listActiveOwners } from '../../storage/organisation.repository.ts';
import { readOperatorContact } from './instance-policy.ts';

/** What happened to the organisation's standing: the two service mails its owners get (docs/mail.md). */
export type OrganisationStandingChange =
  | { readonly kind: 'organisation-suspended'; readonly suspendedAt: Date }
  | { readonly kind: 'organisation-reinstated'; readonly suspendedAt: Date };

/**
 * Writes one mail to each active owner of the organisation saying it was suspended or reinstated, in the caller's
 * transaction (the change's own). A service mail: no setting switches it off. Keyed by the event (the suspension's
 * start) and the owner, so a retried transaction writes each once. Answers the outbox ids to enqueue after the commit;
 * none where this Chorus sends no mail.
 */
export async function writeOrganisationStandingMails(
  trx: Db,
  config: Pick<Config, 'SMTP_URL'>,
  organisation: Pick<Organisation, 'id' | 'name'>,
  change: OrganisationStandingChange,
): Promise<string[]> {
  if (config.SMTP_URL === undefined) return [];
  const [owners, operatorContact] = await Promise.all([listActiveOwners(trx, organisation.id), readOperatorContact(trx)]);
  const event = `${change.kind}:${organisation.id}:${change.suspendedAt.getTime()}`;
  return writeOutboxMails(
    trx,
    owners.map((owner) => ({
      kind: change.kind,
      recipient: owner.email,
      dedupeKey: `${event}:${owner.organiser_id}`,
      organiserId: owner.organiser_id,
      templateData: {
        organiserName: owner.name,
        organisationName: organisation.name,
        suspendedAt: formatUtcMinute(change.suspendedAt),
        organisationPath: `/organiser/organisations/${organisation.id}`,
        // Fixed when the mail is written, like the rest: the contact the operators gave at the time.
        operatorContact,
      },
    })),
  );
}
