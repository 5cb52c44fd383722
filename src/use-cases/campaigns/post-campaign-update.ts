import { addCampaignUpdate } from '../../storage/campaign-update.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { checkStorableText } from '../../domain/storable-text.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** The longest update an organiser may post. */
const MAX_UPDATE_LENGTH = 5000;

/** Posts an update to the campaign page; invalid on `body` when it is empty, too long, or holds a character the text rule refuses. */
export async function postCampaignUpdate(db: Db, campaign: Pick<Campaign, 'id'>, body: string): Promise<Outcome<null>> {
  if (body === '' || body.length > MAX_UPDATE_LENGTH) return invalid('Write the update (up to 5,000 characters).', 'body');
  const characters = checkStorableText('the update', body);
  if (characters !== null) return invalid(characters, 'body');
  await addCampaignUpdate(db, campaign.id, body);
  return done(null);
}
