import type { ChorusContext } from '../chorus-context.ts';
import { checkCampaignTexts, slugFromTitle } from '../domain/campaign-message.ts';
import { isCampaignEditable } from '../domain/campaign-state.ts';
import { checkGoalChange } from '../domain/goal.ts';
import { checkLaunchWindow, parseLaunchTime, type LaunchTime } from '../domain/launch-time.ts';
import { cancelLaunch, scheduleLaunch } from '../jobs/launch-schedule.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { CampaignCreateBody, CampaignPatchBody } from '../routes/api/v1/campaign.schemas.ts';
import { HttpError, badRequest, conflict } from '../routes/http-error.ts';
import { insertCampaign, updateCampaignInStates } from '../storage/campaign.repository.ts';
import { eraseCampaignCredentials } from '../storage/credentials.repository.ts';
import type { Campaign, CampaignUpdate } from '../storage/database.ts';

// What an organiser can do to a campaign, shared by the JSON API and the pages: each rule is
// checked here once and broken rules are thrown as HttpErrors naming the field at fault.

/** Creates a campaign for an organiser (and schedules its launch when published). */
export async function createCampaign(ctx: ChorusContext, organiserId: string, body: CampaignCreateBody): Promise<Campaign> {
  const launch = readLaunchTime(body.launchAt, body.timeZone);
  const variants = body.variants ?? [];
  if (body.xMode === 'repost' && !body.networks.includes('x')) throw badRequest('repost mode is for campaigns that post to X', 'xMode');
  checkTexts(ctx, { message: body.message, variants, link: body.link }, body.networks);
  const slug = body.slug ?? slugFromTitle(body.title);
  const created = await insertCampaign(ctx.db, {
    organiser_id: organiserId,
    slug,
    title: body.title,
    description: body.description ?? '',
    link: body.link,
    message: body.message,
    variants,
    goal: body.goal,
    launch_at: launch.at,
    time_zone: launch.timeZone,
    networks: body.networks,
    x_mode: body.xMode ?? 'post',
    state: body.publish === true ? 'collecting' : 'draft',
  });
  if (created === 'slug-taken') throw new HttpError(409, `the address /c/${slug} is taken; choose another slug`, 'slug');
  if (created.state === 'collecting') await scheduleLaunch(ctx.queues.launches, created.id, created.launch_at);
  return created;
}

/** Edits a campaign before launch; the goal can only go up once supporters are pledging. */
export async function editCampaign(
  ctx: ChorusContext,
  campaign: Campaign,
  body: CampaignPatchBody & Pick<CampaignUpdate, 'image_file' | 'image_alt'>,
): Promise<Campaign> {
  if (!isCampaignEditable(campaign.state)) throw conflict(`the campaign is ${campaign.state} and can no longer be changed`);
  const changes: CampaignUpdate = {};
  if (body.launchAt !== undefined) {
    const launch = readLaunchTime(body.launchAt, body.timeZone);
    changes.launch_at = launch.at;
    changes.time_zone = launch.timeZone;
  } else if (body.timeZone !== undefined) {
    // Only how the same instant is shown changes.
    const zone = parseLaunchTime(campaign.launch_at.toISOString(), body.timeZone);
    if (zone.kind === 'problem') throw badRequest(zone.message, zone.field);
    changes.time_zone = body.timeZone;
  }
  if (body.goal !== undefined) {
    const problem = campaign.state === 'collecting' ? checkGoalChange(campaign.goal, body.goal) : null;
    if (problem !== null) throw badRequest(problem, 'goal');
    changes.goal = body.goal;
  }
  if (body.message !== undefined || body.variants !== undefined) {
    const texts = { message: body.message ?? campaign.message, variants: body.variants ?? campaign.variants, link: campaign.link };
    checkTexts(ctx, texts, campaign.networks);
    changes.message = texts.message;
    changes.variants = texts.variants;
  }
  if (body.xMode !== undefined) {
    if (body.xMode === 'repost' && !campaign.networks.includes('x'))
      throw badRequest('repost mode is for campaigns that post to X', 'xMode');
    changes.x_mode = body.xMode;
  }
  if (body.title !== undefined) changes.title = body.title;
  if (body.description !== undefined) changes.description = body.description;
  if (body.image_file !== undefined) changes.image_file = body.image_file;
  if (body.image_alt !== undefined) changes.image_alt = body.image_alt;

  const updated = await updateCampaignInStates(ctx.db, campaign.id, ['draft', 'collecting'], changes);
  if (updated === undefined) throw conflict('the campaign started launching and can no longer be changed');
  if (changes.launch_at !== undefined && updated.state === 'collecting') {
    await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  }
  return updated;
}

/** Opens a draft to supporters. */
export async function publishCampaign(ctx: ChorusContext, campaign: Campaign): Promise<Campaign> {
  if (campaign.state !== 'draft') throw conflict(`the campaign is already ${campaign.state}`);
  const problem = checkLaunchWindow(campaign.launch_at, new Date());
  if (problem !== null) throw badRequest(`${problem}; move it first`, 'launchAt');
  const updated = await updateCampaignInStates(ctx.db, campaign.id, ['draft'], { state: 'collecting' });
  if (updated === undefined) throw conflict('the campaign changed meanwhile; reload it');
  await scheduleLaunch(ctx.queues.launches, updated.id, updated.launch_at);
  return updated;
}

/** Cancels a campaign before launch: nothing is posted and supporters' access is erased. */
export async function cancelCampaign(ctx: ChorusContext, campaign: Campaign): Promise<Campaign> {
  const updated = await updateCampaignInStates(ctx.db, campaign.id, ['draft', 'collecting'], { state: 'cancelled', ended_at: new Date() });
  if (updated === undefined) throw conflict(`the campaign is ${campaign.state} and can no longer be cancelled`);
  await cancelLaunch(ctx.queues.launches, campaign.id);
  await eraseCampaignCredentials(ctx.db, campaign.id);
  return updated;
}

function checkTexts(
  ctx: ChorusContext,
  texts: { message: string; variants: readonly string[]; link: string },
  networkIds: readonly NetworkId[],
): void {
  const networks = networkIds.map((id) => {
    const network = ctx.networks.outline(id);
    if (network === undefined) throw badRequest(`${id} is not configured on this Chorus`, 'networks');
    return network;
  });
  const problem = checkCampaignTexts(texts, networks);
  if (problem !== null) throw badRequest(problem.message, problem.field);
}

function readLaunchTime(launchAt: string, timeZone: string | undefined): LaunchTime {
  const launch = parseLaunchTime(launchAt, timeZone);
  if (launch.kind === 'problem') throw badRequest(launch.message, launch.field);
  const problem = checkLaunchWindow(launch.at, new Date());
  if (problem !== null) throw badRequest(problem, 'launchAt');
  return launch;
}
