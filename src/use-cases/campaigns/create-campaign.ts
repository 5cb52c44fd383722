import type { ChorusContext } from '../../chorus-context.ts';
import { slugFromTitle } from '../../domain/campaign-message.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { publishedState } from '../../domain/campaign-review.ts';
import { insertCampaign } from '../../storage/campaign.repository.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { readInstancePolicy } from '../operators/instance-policy.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { checkTextsForNetworks, checkXMode, readLaunchTime } from './campaign-input-checks.ts';
import type { NewCampaignInput } from './campaign-input.ts';

/** Creates a campaign for an organiser: a draft, or published (to review, or open to supporters with its launch scheduled). */
export async function createCampaign(ctx: ChorusContext, organiserId: string, input: NewCampaignInput): Promise<Outcome<Campaign>> {
  const launch = readLaunchTime(input.launchAt, input.timeZone);
  if (launch.kind !== 'launch-time') return launch;
  const variants = input.variants ?? [];
  const problem =
    checkXMode(input.xMode, input.networks) ??
    checkTextsForNetworks(ctx, { message: input.message, variants, link: input.link }, input.networks);
  if (problem !== null) return problem;
  const slug = input.slug ?? slugFromTitle(input.title);
  let state: 'draft' | 'in_review' | 'collecting' = 'draft';
  if (input.publish === true) {
    // Published at once: to review unless the instance reviews nothing or the organiser is trusted (publish-campaign.ts).
    const [policy, organiser] = await Promise.all([readInstancePolicy(ctx.db, ctx.config), findOrganiserById(ctx.db, organiserId)]);
    state = publishedState(policy.campaignReview, organiser?.trusted === true);
  }
  const created = await insertCampaign(ctx.db, {
    organiser_id: organiserId,
    slug,
    title: input.title,
    description: input.description ?? '',
    link: input.link,
    message: input.message,
    variants,
    goal: input.goal,
    launch_at: launch.at,
    time_zone: launch.timeZone,
    networks: input.networks,
    x_mode: input.xMode ?? 'post',
    listed: input.listed ?? false,
    state,
  });
  if (created === 'slug-taken') return conflict(`the address /c/${slug} is taken; choose another slug`, 'slug');
  if (created.state === 'collecting') await scheduleLaunch(ctx.queues.launches, created.id, created.launch_at);
  return done(created);
}
