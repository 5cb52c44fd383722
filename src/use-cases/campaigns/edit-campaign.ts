import type { ChorusContext } from '../../chorus-context.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { checkGoalChange } from '../../domain/goal.ts';
import { parseLaunchTime } from '../../domain/launch-time.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { moveCampaignFrom, updateEditableCampaign } from '../../storage/campaign.repository.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import { changeNeedsReview, publishedState } from '../../domain/campaign-review.ts';
import { readInstancePolicy } from '../operators/instance-policy.ts';
import type { Campaign, CampaignUpdate } from '../../storage/database.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';
import { checkTextsForNetworks, checkXMode, readLaunchTime } from './campaign-input-checks.ts';
import type { CampaignChanges } from './campaign-input.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';

/** Edits a campaign before launch (its image too), as an owner or editor; the goal can only go up once supporters are pledging. */
export async function editCampaign(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  input: CampaignChanges & Pick<CampaignUpdate, 'image_file' | 'image_alt'>,
): Promise<Outcome<Campaign>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  if (!isCampaignEditable(campaign.state)) return conflict(`the campaign is ${campaign.state} and can no longer be changed`);
  const changes: Omit<CampaignUpdate, 'state'> = {};
  if (input.launchAt !== undefined) {
    // A new launch time without a zone keeps the campaign's: an offset gives the instant, the zone how it is shown.
    const launch = readLaunchTime(input.launchAt, input.timeZone ?? campaign.time_zone);
    if (launch.kind !== 'launch-time') return launch;
    changes.launch_at = launch.at;
    changes.time_zone = launch.timeZone;
  } else if (input.timeZone !== undefined) {
    // Only how the same instant is shown changes.
    const zone = parseLaunchTime(campaign.launch_at.toISOString(), input.timeZone);
    if (zone.kind === 'problem') return invalid(zone.message, zone.field);
    changes.time_zone = input.timeZone;
  }
  if (input.goal !== undefined) {
    const problem = campaign.state === 'collecting' ? checkGoalChange(campaign.goal, input.goal) : null;
    if (problem !== null) return invalid(problem, 'goal');
    changes.goal = input.goal;
  }
  if (input.message !== undefined || input.variants !== undefined) {
    const texts = { message: input.message ?? campaign.message, variants: input.variants ?? campaign.variants, link: campaign.link };
    const problem = checkTextsForNetworks(ctx, texts, campaign.networks);
    if (problem !== null) return problem;
    changes.message = texts.message;
    changes.variants = texts.variants;
  }
  if (input.xMode !== undefined) {
    const problem = checkXMode(input.xMode, campaign.networks);
    if (problem !== null) return problem;
    changes.x_mode = input.xMode;
  }
  if (input.listed !== undefined) changes.listed = input.listed;
  if (input.title !== undefined) changes.title = input.title;
  if (input.description !== undefined) changes.description = input.description;
  if (input.image_file !== undefined) changes.image_file = input.image_file;
  if (input.image_alt !== undefined) changes.image_alt = input.image_alt;

  const before = { message: campaign.message, variants: campaign.variants, link: campaign.link, networks: campaign.networks };
  const after = { ...before, message: changes.message ?? before.message, variants: changes.variants ?? before.variants };
  let reviewAgain = false;
  if (campaign.state === 'collecting' && changeNeedsReview(before, after)) {
    // An approved campaign whose words change is reviewed again, unless review is off or its organisation is trusted.
    const [policy, organisation] = await Promise.all([
      readInstancePolicy(ctx.db, ctx.config),
      findOrganisation(ctx.db, campaign.organisation_id),
    ]);
    reviewAgain = publishedState(policy.campaignReview, organisation?.trusted === true) === 'in_review';
  }

  const updated = await ctx.db.transaction().execute(async (trx) => {
    const changed = reviewAgain
      ? await moveCampaignFrom(trx, campaign.id, 'collecting', 'in_review', changes)
      : await updateEditableCampaign(trx, campaign.id, changes);
    if (changed !== undefined)
      await recordAudit(trx, actor, {
        action: 'campaign.edited',
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        changes: { ...auditedChanges(changes), ...(reviewAgain ? { state: changed.state, from: campaign.state } : {}) },
      });
    return changed;
  });
  if (updated === undefined && reviewAgain) return conflict('the campaign changed meanwhile; reload it');
  if (updated === undefined) return conflict('the campaign started launching and can no longer be changed');
  if (changes.launch_at !== undefined && updated.state === 'collecting') {
    await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  }
  return done(updated);
}

/** What the audit log keeps of an edit: the names of the fields changed, with the new goal, launch time and mode (short, never secret). */
function auditedChanges(changes: Omit<CampaignUpdate, 'state'>): Record<string, unknown> {
  const fields = Object.keys(changes).filter((key) => changes[key as keyof typeof changes] !== undefined);
  return {
    fields,
    ...(changes.goal === undefined ? {} : { goal: changes.goal }),
    ...(changes.launch_at === undefined ? {} : { launchAt: new Date(changes.launch_at).toISOString() }),
    ...(changes.x_mode === undefined ? {} : { xMode: changes.x_mode }),
  };
}
