import type { ChorusContext } from '../../chorus-context.ts';
import { approvalProblem } from '../../domain/campaign-review.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import { moveCampaignAudited } from '../campaigns/move-campaign-audited.ts';
import type { Campaign } from '../../storage/database.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator approves a campaign waiting for review: it opens to supporters and its launch is scheduled. Refused
 * when its launch time passed while it waited: the organiser must pick a new one first (their dashboard says so).
 */
export async function approveCampaign(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  now: Date = new Date(),
): Promise<Outcome<Campaign>> {
  const campaign = await findCampaign(ctx.db, campaignId);
  if (campaign === undefined) return notFound('campaign');
  if (campaign.state !== 'in_review') return conflict(`the campaign is ${campaign.state}, not waiting for review`);
  const problem = approvalProblem(campaign.launch_at, now);
  if (problem !== null) return conflict(problem);
  const approved = await moveCampaignAudited(
    ctx.db,
    actor,
    campaign,
    { from: 'in_review', to: 'collecting', changes: { review_note: null } },
    'campaign.approved',
    { from: campaign.state },
  );
  if (approved === undefined) return conflict('the campaign changed meanwhile; reload it');
  await scheduleLaunch(ctx.queues.launches, approved.id, approved.launch_at);
  return done(approved);
}
