import { findPublicCampaign as findPublicCampaignRow } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { readOperatorContact } from '../operators/instance-policy.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** The campaign at a public slug, in any state but draft (drafts are private to their organiser). */
export async function findPublicCampaign(db: Db, slug: string): Promise<Outcome<Campaign>> {
  const campaign = await findPublicCampaignRow(db, slug);
  return campaign === undefined ? notFound('campaign') : done(campaign);
}

/** The campaign a report is about, with the operators' contact the report page shows (null where none is given). */
export async function findReportedCampaign(db: Db, slug: string): Promise<Outcome<{ campaign: Campaign; operatorContact: string | null }>> {
  const [campaign, operatorContact] = await Promise.all([findPublicCampaignRow(db, slug), readOperatorContact(db)]);
  return campaign === undefined ? notFound('campaign') : done({ campaign, operatorContact });
}
