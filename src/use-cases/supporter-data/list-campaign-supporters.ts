import type { Db } from '../../storage/database.ts';
import { listCampaignSupporters as listCampaignSupporterRows } from '../../storage/pledge.repository.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** A supporter as their campaign's organiser sees them, to erase one on request. */
export type CampaignSupporter = Awaited<ReturnType<typeof listCampaignSupporterRows>>[number];

/** How many supporters one answer may list. */
export const supportersListLimits = { min: 1, max: 200, default: 50 } as const;

/**
 * An organiser's campaign's supporters: the most recent active ones, or, with `handle`, every one whose handle
 * contains it (withdrawn too). Not-found for anyone else's campaign.
 */
export async function listCampaignSupporters(
  db: Db,
  organiserId: string,
  campaignId: string,
  options: { handle?: string; limit: number },
): Promise<Outcome<CampaignSupporter[]>> {
  // Checked here as well as in the route's schema: its validator turns a query's `1e400` into Infinity and lets it by.
  const { limit } = options;
  if (!Number.isSafeInteger(limit) || limit < supportersListLimits.min || limit > supportersListLimits.max)
    return invalid(`the limit must be a whole number from ${supportersListLimits.min} to ${supportersListLimits.max}`, 'limit');
  const campaign = await findMemberCampaign(db, organiserId, campaignId, 'read-campaigns');
  if (campaign.kind !== 'done') return campaign;
  return done(await listCampaignSupporterRows(db, campaign.value.id, options));
}
