import type { NetworkId } from '../../networks/network-id.ts';
import type { Db } from '../../storage/database.ts';
import { eraseSupporterFromCampaign } from '../../storage/supporter-erasure.repository.ts';
import { findOrganiserCampaign } from '../campaigns/find-organiser-campaign.ts';
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
export async function eraseSupporter(db: Db, organiserId: string, campaignId: string, pledgeId: string): Promise<Outcome<ErasedSupporter>> {
  const campaign = await findOrganiserCampaign(db, organiserId, campaignId);
  if (campaign.kind !== 'done') return campaign;
  const erased = await eraseSupporterFromCampaign(db, campaign.value.id, pledgeId);
  switch (erased.kind) {
    case 'erased':
      return done({ handle: erased.handle, network: erased.network, withdrawn: erased.withdrawn });
    case 'not-found':
      return notFound('supporter');
    case 'launching':
      return conflict('the campaign is launching: a post may be on its way; erase this supporter once the launch has finished');
  }
}
