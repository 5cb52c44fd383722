import type { NetworkId } from '../../networks/network-id.ts';
import type { Db } from '../../storage/database.ts';
import { eraseSupporterFromCampaign } from '../../storage/supporter-erasure.repository.ts';
import { auditEntryOf, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/** A supporter erased at the organiser's request, as the organiser is told. */
export interface ErasedSupporter {
  readonly handle: string;
  readonly network: NetworkId;
  /** True when the campaign was collecting: the pledge was withdrawn (nothing will be posted) before it was erased. */
  readonly withdrawn: boolean;
}

/**
 * Erases one supporter of an organiser's campaign on their request, at any time but during the launch itself:
 * before the launch their pledge is withdrawn and its grant erased; after the end, the totals stay as they are.
 * Not-found for another organiser's campaign and for a pledge that is not the campaign's (or erased already).
 */
export async function eraseSupporter(
  db: Db,
  actor: OrganiserActor,
  campaignId: string,
  pledgeId: string,
): Promise<Outcome<ErasedSupporter>> {
  const campaign = await findMemberCampaign(db, actor.organiserId, campaignId, 'erase-supporters');
  if (campaign.kind !== 'done') return campaign;
  // The entry names the pledge by id only: the supporter's handle is the personal data being erased.
  const audit = auditEntryOf(actor, {
    action: 'campaign.supporter-erased',
    organisationId: campaign.value.organisation_id,
    campaignId: campaign.value.id,
    subjectId: pledgeId,
  });
  const erased = await eraseSupporterFromCampaign(db, campaign.value.id, pledgeId, audit);
  switch (erased.kind) {
    case 'erased':
      return done({ handle: erased.handle, network: erased.network, withdrawn: erased.withdrawn });
    case 'not-found':
      return notFound('supporter');
    case 'launching':
      return conflict('the campaign is launching: a post may be on its way; erase this supporter once the launch has finished');
  }
}
