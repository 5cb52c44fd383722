import type { ChorusContext } from '../../chorus-context.ts';
import { campaignStatesMovingTo } from '../../domain/campaign-state.ts';
import { listOrganiserCampaignsIn } from '../../storage/campaign.repository.ts';
import type { Organiser } from '../../storage/database.ts';
import { deleteOrganiserSessions } from '../../storage/organiser-session.repository.ts';
import { findOrganiserById, setOrganiserStanding } from '../../storage/organiser.repository.ts';
import { organiserStandingEntry } from './organiser-standing-entry.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { suspendCampaign } from './suspend-campaign.ts';

/** A suspended organiser, and how many of their campaigns were suspended with them. */
export interface SuspendedOrganiser {
  readonly organiser: Organiser;
  readonly campaignsSuspended: number;
}

/**
 * An operator suspends an organiser: their sessions end and their API tokens stop working (authentication reads
 * the standing on every request), and each of their campaigns not yet launching is suspended with them.
 */
export async function suspendOrganiser(
  ctx: ChorusContext,
  actor: OrganiserActor,
  organiserId: string,
): Promise<Outcome<SuspendedOrganiser>> {
  const found = await findOrganiserById(ctx.db, organiserId);
  if (found === undefined) return notFound('organiser');
  if (found.role === 'operator') return conflict('an operator cannot be suspended from here');
  const organiser = await ctx.db.transaction().execute(async (trx) => {
    const changed = await setOrganiserStanding(trx, organiserId, 'suspended');
    if (changed !== undefined) await recordAudit(trx, actor, organiserStandingEntry('organiser.suspended', changed));
    return changed;
  });
  if (organiser === undefined) return notFound('organiser');
  await deleteOrganiserSessions(ctx.db, organiserId);
  let campaignsSuspended = 0;
  for (const campaign of await listOrganiserCampaignsIn(ctx.db, organiserId, campaignStatesMovingTo('suspended'))) {
    if ((await suspendCampaign(ctx, actor, campaign.id, 'organiser')).kind === 'done') campaignsSuspended += 1;
  }
  return done({ organiser, campaignsSuspended });
}
