import type { ChorusContext } from '../../chorus-context.ts';
import { publishedState } from '../../domain/campaign-review.ts';
import { checkLaunchWindow } from '../../domain/launch-time.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaignAudited } from './move-campaign-audited.ts';
import type { Campaign } from '../../storage/database.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import { readInstancePolicy } from '../operators/instance-policy.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/**
 * Publishes a draft (an owner or editor): to review when the instance reviews campaigns (an operator approves it to
 * collecting), or straight to collecting, with its launch scheduled, when review is off or its organisation is trusted.
 */
export async function publishCampaign(ctx: ChorusContext, actor: OrganiserActor, campaignId: string): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign: Campaign = found.value;
  if (campaign.state !== 'draft') return conflict(`the campaign is already ${campaign.state}`);
  const problem = checkLaunchWindow(campaign.launch_at, new Date());
  if (problem !== null) return invalid(`${problem}; move it first`, 'launchAt');
  const [policy, organisation] = await Promise.all([
    readInstancePolicy(ctx.db, ctx.config),
    findOrganisation(ctx.db, campaign.organisation_id),
  ]);
  const to = publishedState(policy.campaignReview, organisation?.trusted === true);
  const updated = await moveCampaignAudited(ctx.db, actor, campaign, { to, changes: { review_note: null } }, 'campaign.published');
  if (updated === undefined) return conflict('the campaign changed meanwhile; reload it');
  if (updated.state === 'collecting') await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  return done(updated);
}
