import { addCampaignUpdate } from '../../storage/campaign-update.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { checkStorableText } from '../../domain/storable-text.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** The longest update an organiser may post. */
const MAX_UPDATE_LENGTH = 5000;

/** Posts an update to the campaign page; invalid on `body` when it is empty, too long, or holds a character the text rule refuses. */
export async function postCampaignUpdate(db: Db, actor: OrganiserActor, campaignId: string, body: string): Promise<Outcome<null>> {
  const found = await findMemberCampaign(db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  if (body === '' || body.length > MAX_UPDATE_LENGTH) return invalid('Write the update (up to 5,000 characters).', 'body');
  const characters = checkStorableText('the update', body);
  if (characters !== null) return invalid(characters, 'body');
  await db.transaction().execute(async (trx) => {
    const note = await addCampaignUpdate(trx, campaign.id, body);
    await recordAudit(trx, actor, {
      action: 'campaign.update-posted',
      organisationId: campaign.organisation_id,
      campaignId: campaign.id,
      subjectId: note.id,
      changes: { length: body.length },
    });
  });
  return done(null);
}
