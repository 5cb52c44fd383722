import { checkStorableText } from '../../domain/storable-text.ts';
import { reviewTextLimits } from '../../domain/campaign-review.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import { moveCampaignAudited } from '../campaigns/move-campaign-audited.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator returns a campaign waiting for review to its organiser as a draft, with a reason they see on their
 * dashboard until they publish it again. Supporters never saw it: nothing else changes.
 */
export async function returnCampaign(db: Db, actor: OrganiserActor, campaignId: string, typedReason: string): Promise<Outcome<Campaign>> {
  const reason = typedReason.trim();
  if (reason === '' || reason.length > reviewTextLimits.reasonMaxLength)
    return invalid(`say what the organiser must change (up to ${reviewTextLimits.reasonMaxLength} characters)`, 'reason');
  const characters = checkStorableText('the reason', reason);
  if (characters !== null) return invalid(characters, 'reason');
  const campaign = await findCampaign(db, campaignId);
  if (campaign === undefined) return notFound('campaign');
  if (campaign.state !== 'in_review') return conflict(`the campaign is ${campaign.state}, not waiting for review`);
  const returned = await moveCampaignAudited(
    db,
    actor,
    campaign,
    { from: 'in_review', to: 'draft', changes: { review_note: reason } },
    'campaign.returned',
    // The reason is the organiser's to read anyway; its start is enough for the log (an entry stays small).
    { from: campaign.state, reason: reason.slice(0, 500) },
  );
  return returned === undefined ? conflict('the campaign changed meanwhile; reload it') : done(returned);
}
