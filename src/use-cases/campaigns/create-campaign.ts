import type { ChorusContext } from '../../chorus-context.ts';
import { slugFromTitle } from '../../domain/campaign-message.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { publishedState } from '../../domain/campaign-review.ts';
import { insertCampaign } from '../../storage/campaign.repository.ts';
import { readInstancePolicy } from '../operators/instance-policy.ts';
import type { Campaign } from '../../storage/database.ts';
import { findOrganisation, listMemberships } from '../../storage/organisation.repository.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { recordAudit } from '../organisations/audit-actor.ts';
import { checkOrganisationAccess } from '../organisations/organisation-access.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';
import { checkTextsForNetworks, checkXMode, readLaunchTime } from './campaign-input-checks.ts';
import type { NewCampaignInput } from './campaign-input.ts';

/** Thrown inside the transaction to roll it back when the slug is taken (the failed insert ended the transaction). */
class SlugTaken extends Error {}

/**
 * Creates a campaign in one of the organiser's organisations (by default the one they joined first, their own), a
 * draft or published (to review, or open to supporters with its launch scheduled); an owner or editor there only.
 */
export async function createCampaign(ctx: ChorusContext, actor: OrganiserActor, input: NewCampaignInput): Promise<Outcome<Campaign>> {
  const organisationId = input.organisationId ?? (await listMemberships(ctx.db, actor.organiserId))[0]?.organisation_id;
  // Someone who left their own organisation and joined none: a campaign needs one, and they can make one.
  if (organisationId === undefined)
    return conflict(
      'you belong to no organisation: create one first (POST /api/v1/organisations, or "Create an organisation" on Your campaigns), or join one with an invitation',
      'organisationId',
    );
  const access = await checkOrganisationAccess(ctx.db, actor.organiserId, organisationId, 'edit-campaigns');
  if (access.kind !== 'done') return access.kind === 'not-found' ? { ...access, field: 'organisationId' } : access;
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
    // Published at once: to review unless the instance reviews nothing or the organisation is trusted (publish-campaign.ts).
    const [policy, organisation] = await Promise.all([readInstancePolicy(ctx.db, ctx.config), findOrganisation(ctx.db, organisationId)]);
    state = publishedState(policy.campaignReview, organisation?.trusted === true);
  }
  let created: Campaign;
  try {
    created = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await insertCampaign(trx, {
        organiser_id: actor.organiserId,
        organisation_id: organisationId,
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
      if (inserted === 'slug-taken') throw new SlugTaken();
      await recordAudit(trx, actor, {
        action: 'campaign.created',
        organisationId,
        campaignId: inserted.id,
        changes: { title: inserted.title, state: inserted.state, goal: inserted.goal, launchAt: inserted.launch_at.toISOString() },
      });
      return inserted;
    });
  } catch (error) {
    if (error instanceof SlugTaken) return conflict(`the address /c/${slug} is taken; choose another slug`, 'slug');
    throw error;
  }
  if (created.state === 'collecting') await scheduleLaunch(ctx.queues.launches, created.id, created.launch_at);
  return done(created);
}
