import type { ChorusContext } from '../../chorus-context.ts';
import { scheduleLaunch } from '../../jobs/launch-schedule.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import { moveCampaignAudited } from '../campaigns/move-campaign-audited.ts';
import type { Campaign } from '../../storage/database.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * An operator lifts a campaign's suspension: it goes back to the state it was suspended from (a collecting one has
 * its launch scheduled again), only while its launch time is still ahead. Its supporters' grants were erased by the
 * suspension: they must authorise again for their posts to go out. Not while its organisation is suspended: lifting
 * that lifts the campaigns suspended with it.
 */
export async function reinstateCampaign(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  now: Date = new Date(),
): Promise<Outcome<Campaign>> {
  const campaign = await findCampaign(ctx.db, campaignId);
  if (campaign === undefined) return notFound('campaign');
  if (campaign.state !== 'suspended' || campaign.suspended_from === null)
    return conflict(`the campaign is ${campaign.state}, not suspended`);
  if (campaign.launch_at.getTime() <= now.getTime())
    return conflict('its launch time has passed: a suspension can only be lifted before the launch');
  const organisation = await findOrganisation(ctx.db, campaign.organisation_id);
  // An organisation being deleted (its only member deleted their account) must not get a collecting campaign back.
  if (organisation === undefined) return notFound('campaign');
  if (organisation.standing === 'suspended') return conflict('its organisation is suspended: lift that suspension first');
  const suspendedFrom = campaign.suspended_from;
  const back = await moveCampaignAudited(
    ctx.db,
    actor,
    campaign,
    {
      from: 'suspended',
      to: suspendedFrom,
      changes: { suspended_from: null, suspended_with_organiser: false, suspended_with_organisation: false },
    },
    'campaign.reinstated',
    { from: campaign.state },
  );
  if (back === undefined) return conflict('the campaign changed meanwhile; reload it');
  if (back.state === 'collecting') await scheduleLaunch(ctx.queues.launches, back.id, back.launch_at);
  return done(back);
}
