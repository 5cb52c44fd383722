import type { ChorusContext } from '../../chorus-context.ts';
import { listOrganiserCampaignsIn, passSuspensionToOrganisation } from '../../storage/campaign.repository.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import type { Organiser } from '../../storage/database.ts';
import { findOrganiserById, setOrganiserStanding } from '../../storage/organiser.repository.ts';
import { organiserStandingEntry } from './organiser-standing-entry.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { reinstateCampaign } from './reinstate-campaign.ts';

/** A reinstated organiser, and how many of the campaigns suspended with them came back (those still before launch). */
export interface ReinstatedOrganiser {
  readonly organiser: Organiser;
  readonly campaignsReinstated: number;
}

/**
 * An operator lifts an organiser's suspension: they can sign in again (their old sessions stay ended), and the
 * campaigns suspended with them go back where they were, each only while its launch time is still ahead.
 * Campaigns an operator suspended on their own stay suspended; those of an organisation suspended meanwhile wait for
 * it, and come back when its suspension is lifted.
 */
export async function reinstateOrganiser(
  ctx: ChorusContext,
  actor: OrganiserActor,
  organiserId: string,
): Promise<Outcome<ReinstatedOrganiser>> {
  const found = await findOrganiserById(ctx.db, organiserId);
  if (found === undefined) return notFound('organiser');
  if (found.standing !== 'suspended') return conflict(`the account is ${found.standing.replace('_', ' ')}, not suspended`);
  const organiser = await ctx.db.transaction().execute(async (trx) => {
    const changed = await setOrganiserStanding(trx, organiserId, 'active');
    if (changed !== undefined) await recordAudit(trx, actor, organiserStandingEntry('organiser.reinstated', changed));
    return changed;
  });
  if (organiser === undefined) return notFound('organiser');
  let campaignsReinstated = 0;
  for (const campaign of await listOrganiserCampaignsIn(ctx.db, organiserId, ['suspended'])) {
    if (!campaign.suspended_with_organiser) continue;
    if ((await findOrganisation(ctx.db, campaign.organisation_id))?.standing === 'suspended')
      await ctx.db.transaction().execute(async (trx) => {
        if (await passSuspensionToOrganisation(trx, campaign.id))
          await recordAudit(trx, actor, {
            action: 'campaign.suspended',
            organisationId: campaign.organisation_id,
            campaignId: campaign.id,
            changes: { from: 'suspended', withOrganiser: false, withOrganisation: true },
          });
      });
    else if ((await reinstateCampaign(ctx, actor, campaign.id)).kind === 'done') campaignsReinstated += 1;
  }
  return done({ organiser, campaignsReinstated });
}
